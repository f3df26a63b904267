"""The Telegram bot: a python-telegram-bot Application whose thin handlers feed the Assistant.

No AIORateLimiter: replies to members are paced by the per-user question limit, and the
broadcast engine paces itself (30/s, 20/min per group) and must see RetryAfter to hold a
chat back; a limiter that queued or retried here would hide it and double the pacing.
A RetryAfter on a reply is honoured once by the assistant's Courier.
"""

from __future__ import annotations

import html
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Protocol

from telegram import BotCommand, Update
from telegram.error import NetworkError, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot import replies
from bot.assistant.core import Assistant
from bot.chat import Platform
from bot.commands import CommandRegistry, Role
from bot.platforms import telegram_updates
from bot.platforms.telegram import TelegramPlatform
from bot.settings import Settings

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"]


class Services(Protocol):
    """What the Telegram front end needs of the composition root (bot.app.Services)."""

    settings: Settings
    assistant: Assistant
    registry: CommandRegistry
    platforms: dict[str, Platform]

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


def services_of(context: ContextTypes.DEFAULT_TYPE) -> Services:
    return context.application.bot_data["services"]


def platform_of(context: ContextTypes.DEFAULT_TYPE) -> TelegramPlatform:
    return services_of(context).platforms["telegram"]  # type: ignore[return-value]


# -- handlers: translate, hand to the assistant, nothing else -------------------------------


async def on_membership(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    change = update.my_chat_member and telegram_updates.membership(update.my_chat_member)
    if change:
        await services_of(context).assistant.handle_membership(change)


async def on_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    press = query and telegram_updates.press(query)
    if press:
        await services_of(context).assistant.handle_press(press, platform_of(context))
    elif query:
        await query.answer()


async def on_migrate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A group became a supergroup: the registry follows it to its new id."""
    message = update.effective_message
    if message is None or not message.migrate_to_chat_id:
        return
    from bot.chat import MembershipChange

    assistant = services_of(context).assistant
    title = message.chat.title or ""
    old, new = str(message.chat.id), str(message.migrate_to_chat_id)
    await assistant.handle_membership(MembershipChange("telegram", old, title, "group", "left"))
    await assistant.handle_membership(MembershipChange("telegram", new, title, "group", "member"))


async def on_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is None:
        return
    bot = context.bot
    incoming = telegram_updates.incoming(message, bot.id, bot.username)
    if incoming is not None:
        await services_of(context).assistant.handle_message(incoming, platform_of(context))


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log first; then tell the admin chat (if any) and apologise to the user."""
    error = context.error
    if update is None and isinstance(error, NetworkError):
        log.warning("polling: %s", error)  # the updater retries by itself
        return
    log.error("handling an update failed", exc_info=error)
    services = services_of(context)
    platform = services.platforms.get("telegram")
    if platform is None:
        return
    courier = services.assistant.courier
    admin_chat = services.settings.admin_chat_id
    if admin_chat is not None:
        detail = html.escape(f"{type(error).__name__}: {error}"[:500])
        await courier.send(platform, str(admin_chat), f"⚠️ Lỗi khi xử lý tin nhắn: {detail}")
    if not isinstance(update, Update):
        return
    if update.callback_query is not None:
        with suppress(TelegramError):
            await update.callback_query.answer(replies.APOLOGY[:200])
        return
    message = update.effective_message
    if message is None:
        return
    incoming = telegram_updates.incoming(message, context.bot.id, context.bot.username)
    if incoming is not None and incoming.addressed:  # never speak up in group talk
        await courier.send(platform, incoming.chat_id, replies.APOLOGY, incoming.message_id)


# -- lifecycle ----------------------------------------------------------------------------


async def post_init(app: Application) -> None:
    """Standalone (tests): Telegram registers itself and starts the services."""
    services: Services = app.bot_data["services"]
    services.platforms["telegram"] = TelegramPlatform(app.bot)
    await services.start()
    await _publish_commands(app, services)


async def post_shutdown(app: Application) -> None:
    await app.bot_data["services"].stop()


async def _post_init_platform(app: Application) -> None:
    """Under TelegramRunner the runtime owns the services: only the command menu here."""
    await _publish_commands(app, app.bot_data["services"])


async def _publish_commands(app: Application, services: Services) -> None:
    """The command menu members see; best effort (a failure only costs the menu)."""
    member = [
        BotCommand(c.names[0], c.summary_vi[:256])
        for c in services.registry.visible_to(Role.MEMBER)
    ]
    try:
        await app.bot.set_my_commands(member)
    except TelegramError as exc:
        log.warning("could not publish the command menu: %s", exc)


def build_application(
    settings: Settings, services: Services, *, owns_services: bool = True
) -> Application:
    """The PTB Application for these settings, with handlers registered in order.

    `owns_services`: its post_init starts the services and its post_shutdown stops them
    (standalone use); under TelegramRunner the runtime starts them whether or not
    Telegram can be reached."""
    builder = (
        ApplicationBuilder()
        .token(settings.telegram_token.get_secret_value())
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.telegram_base_file_url)
        .concurrent_updates(settings.telegram_concurrency)
    )
    if owns_services:
        builder = builder.post_init(post_init).post_shutdown(post_shutdown)
    else:
        builder = builder.post_init(_post_init_platform)
    app = builder.build()
    app.bot_data["services"] = services
    # Order matters: one update goes to the first matching handler of the group.
    # 1. the bot's own membership (group registry), never a message
    app.add_handler(ChatMemberHandler(on_membership, ChatMemberHandler.MY_CHAT_MEMBER))
    # 2. presses on our buttons
    app.add_handler(CallbackQueryHandler(on_press))
    # 3. a group upgraded to a supergroup: a service message, before the general one
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, on_migrate))
    # 4. every other new message (text, command, caption, document, sticker); service
    #    messages and edits are ignored; the assistant decides whether it is addressed
    app.add_handler(
        MessageHandler(filters.UpdateType.MESSAGE & ~filters.StatusUpdate.ALL, on_message)
    )
    app.add_error_handler(on_error)
    return app


@asynccontextmanager
async def running(
    app: Application, *, poll_timeout: int = 10, webhook: tuple[Settings, str] | None = None
) -> AsyncIterator[Application]:
    """Run the application inside an existing event loop (tests, benchmarks).

    The same steps in the same order as Application.run_polling / run_webhook, minus the
    signal handling: initialize, post_init, updater, start … stop, shutdown, post_shutdown.
    """
    try:
        await app.initialize()
    except BaseException:
        # app.shutdown() does nothing for an app whose initialize() failed, but the bot's HTTP
        # clients were open by then: a refused getMe (401, 404) left its connection kept alive
        # in their pool, open until the garbage collector found it (a ResourceWarning)
        await app.bot.shutdown()
        raise
    try:
        if app.post_init:
            await app.post_init(app)
        assert app.updater is not None
        if webhook is None:
            await app.updater.start_polling(
                timeout=poll_timeout, allowed_updates=ALLOWED_UPDATES, poll_interval=0
            )
        else:
            # the updates arrive on the bot's HTTP server (TelegramRunner.routes), not PTB's
            settings, secret = webhook
            await app.bot.set_webhook(
                url=settings.webhook_url, secret_token=secret, allowed_updates=ALLOWED_UPDATES
            )
        await app.start()
        try:
            yield app
        finally:
            if app.updater.running:
                await app.updater.stop()
            if app.running:
                await app.stop()
    finally:
        await app.shutdown()
        if app.post_shutdown:
            await app.post_shutdown(app)
