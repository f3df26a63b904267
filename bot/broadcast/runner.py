"""A process that runs only the delivery engine: `python -m bot.broadcast.runner`.

For operators who run delivery apart from the chat bot, and for the crash test, which
SIGKILLs it mid-broadcast. Until the Telegram adapter (bot/platforms/telegram.py) exists, a
minimal python-telegram-bot platform below stands in for it.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
from collections.abc import Sequence
from datetime import timedelta

from bot.broadcast.engine import BroadcastEngine, EngineOptions
from bot.broadcast.limits import Limits
from bot.errors import ChatGone, Rejected, RetryLater, Uncertain, Unreachable
from bot.platforms.base import Capabilities, OutgoingMessage, SentMessage
from bot.settings import Settings, load_settings
from bot.store import open_store

# PTB 22 warns when it builds a RetryAfter unless durations are timedeltas (opt in early).
os.environ.setdefault("PTB_TIMEDELTA", "true")


class BotPlatform:
    """The send and pin verbs of Platform over a PTB `Bot` (Telegram errors translated)."""

    name = "telegram"

    def __init__(self, bot) -> None:
        self.bot = bot
        self.capabilities = Capabilities()

    async def send(
        self, chat_id: str, message: OutgoingMessage, reply_to: str | None = None
    ) -> SentMessage:
        from telegram import InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions

        markup = None
        if message.buttons:
            markup = InlineKeyboardMarkup(
                [
                    [InlineKeyboardButton(b.text, url=b.url, callback_data=b.data) for b in row]
                    for row in message.buttons
                ]
            )
        common = {
            "chat_id": int(chat_id) if chat_id.lstrip("-").isdigit() else chat_id,
            "parse_mode": "HTML",
            "disable_notification": message.silent,
            "reply_markup": markup,
        }
        attachment = message.attachment
        with _translated_errors():
            if attachment is not None and attachment.kind == "photo":
                sent = await self.bot.send_photo(
                    photo=attachment.file_ref, caption=message.text, **common
                )
            elif attachment is not None:
                sent = await self.bot.send_document(
                    document=attachment.file_ref, caption=message.text, **common
                )
            else:
                sent = await self.bot.send_message(
                    text=message.text,
                    link_preview_options=LinkPreviewOptions(is_disabled=not message.preview_links),
                    **common,
                )
        return SentMessage(chat_id=chat_id, message_id=str(sent.message_id))

    async def pin(self, chat_id: str, message_id: str, silent: bool = True) -> None:
        with _translated_errors():
            await self.bot.pin_chat_message(
                chat_id=int(chat_id), message_id=int(message_id), disable_notification=silent
            )


class _translated_errors:
    """Turn PTB's exceptions into the DeliveryError family."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, exc, tb) -> bool:
        if exc is None:
            return False
        import httpx
        from telegram import error

        if isinstance(exc, error.RetryAfter):
            wait = exc.retry_after
            seconds = wait if isinstance(wait, int | float) else wait.total_seconds()
            raise RetryLater(float(seconds)) from exc
        if isinstance(exc, error.Forbidden | error.ChatMigrated):
            raise ChatGone(str(exc)) from exc
        if isinstance(exc, error.BadRequest):
            if "chat not found" in str(exc).lower():
                raise ChatGone(str(exc)) from exc
            raise Rejected(str(exc)) from exc
        if isinstance(exc, error.NetworkError):
            cause = exc.__cause__
            # Only these never reached the server; anything else may have been delivered.
            if isinstance(cause, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout):
                raise Unreachable(str(exc)) from exc
            if "Pool timeout" in str(exc):
                raise Unreachable(str(exc)) from exc
            raise Uncertain(str(exc) or type(exc).__name__) from exc
        return False


def make_bot(token: str, base_url: str, read_timeout: float = 10.0):
    """A PTB Bot pointed at `base_url` (Telegram, or the stub in tests)."""
    from telegram import Bot
    from telegram.request import HTTPXRequest

    request = HTTPXRequest(read_timeout=read_timeout, connect_timeout=5.0)
    return Bot(token, base_url=base_url, request=request)


def engine_options(settings: Settings, per_second: int = 30) -> EngineOptions:
    """The engine's options from the settings."""
    return EngineOptions(
        grace=timedelta(minutes=settings.broadcast_grace_minutes),
        tick_seconds=settings.broadcast_tick_seconds,
        limits=Limits(per_second=per_second),
    )


async def run(args: argparse.Namespace) -> int:
    settings = load_settings()
    store = open_store(settings.resolved_database_url)
    token = settings.telegram_token.get_secret_value()
    bot = make_bot(token, settings.telegram_base_url, args.read_timeout)
    await bot.initialize()
    options = engine_options(settings, args.per_second)
    engine = BroadcastEngine(store, {"telegram": BotPlatform(bot)}, options)
    stopped = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stopped.set)
    await engine.start()
    print("engine started", flush=True)
    await stopped.wait()
    await engine.stop()
    await bot.shutdown()
    store.close()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.broadcast.runner",
        description="chạy riêng bộ gửi bài theo lịch (cấu hình qua biến môi trường BOT_…)",
    )
    parser.add_argument("--per-second", type=int, default=30)
    parser.add_argument("--read-timeout", type=float, default=10.0)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its URLs carry the token
    return asyncio.run(run(args))


if __name__ == "__main__":
    raise SystemExit(main())
