"""The platform-independent assistant: every adapter hands it events, it decides and replies."""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bot import replies
from bot.assistant import records
from bot.assistant.admin import AdminCommands
from bot.assistant.asking import Asking
from bot.assistant.delivery import Courier, ReplyPacer
from bot.assistant.ratelimit import RateLimiter
from bot.assistant.reloading import Reloader
from bot.commands import Command, CommandContext, CommandRegistry, PressContext, Role
from bot.errors import BotError, DeliveryError
from bot.platforms.base import ButtonPress, IncomingMessage, MembershipChange, Platform
from bot.search.knowledge_base import KnowledgeBase
from bot.store import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AssistantConfig:
    """The assistant's knobs (bot.app builds them from Settings)."""

    max_question_chars: int = 500
    rate_burst: int = 5  # questions a user may ask at once…
    rate_per_minute: float = 10.0  # …and how fast that allowance refills
    max_upload_bytes: int = 10_000_000
    reload_progress_interval: float = 2.0  # seconds between edits of the progress message
    timezone: str = "Asia/Ho_Chi_Minh"


class Assistant:
    """Members ask, admins manage: one instance serves every platform adapter."""

    def __init__(
        self,
        *,
        store: Store,
        knowledge: KnowledgeBase,
        registry: CommandRegistry,
        admins: Mapping[str, Iterable[str | int]],
        voter_salt: bytes,
        config: AssistantConfig | None = None,
        services: Any = None,
        configured_moderators: Mapping[str, Iterable[str | int]] | None = None,
        pacer: ReplyPacer | None = None,
    ) -> None:
        self.store = store
        self.knowledge = knowledge
        self.registry = registry
        self.config = config or AssistantConfig()
        self.services = services  # given to command handlers as ctx.services
        self.admins = {p: {str(i) for i in ids} for p, ids in admins.items()}
        self.moderators: dict[str, set[str]] = records.all_moderators(store)
        # moderators named in the settings (bridge platforms); /thuhoi cannot revoke them
        self.configured_moderators = {
            p: {str(i) for i in ids} for p, ids in (configured_moderators or {}).items()
        }
        # replies share the per-bot flood budget with broadcasts, ahead of them
        self.courier = Courier(on_gone=self._chat_gone, pacer=pacer)
        self.asking = Asking(
            knowledge,
            store,
            self.courier,
            RateLimiter(self.config.rate_burst, self.config.rate_per_minute),
            voter_salt,
            self.config.max_question_chars,
        )
        self.reloader = Reloader(knowledge, self.courier, self.config.reload_progress_interval)
        self._known_chats: set[tuple[str, str]] = set()
        self._admin = AdminCommands(self)
        self._register(registry)

    def _register(self, registry: CommandRegistry) -> None:
        registry.add(
            Command(("giup", "help", "start"), Role.MEMBER, "hướng dẫn sử dụng", self._help)
        )
        registry.add(Command(("hoi", "ask"), Role.MEMBER, "hỏi một câu: /hoi <câu hỏi>", self._ask))
        for command in self._admin.commands():
            registry.add(command)

    async def start(self) -> None:
        """Reload the moderators (another process may have changed them)."""
        self.moderators = await asyncio.to_thread(records.all_moderators, self.store)

    async def stop(self) -> None:
        await self.reloader.stop()

    def role_of(self, platform: str, user_id: str) -> Role:
        """Admins come from the settings (numeric ids), moderators from the store."""
        if user_id in self.admins.get(platform, ()):
            return Role.ADMIN
        if user_id in self.moderators.get(platform, ()):
            return Role.MODERATOR
        if user_id in self.configured_moderators.get(platform, ()):
            return Role.MODERATOR
        return Role.MEMBER

    # -- events --------------------------------------------------------------------

    async def handle_message(self, msg: IncomingMessage, platform: Platform) -> None:
        """A message: a command, a question, a document, or group talk not meant for us."""
        if msg.chat_type == "group":
            await self._note_group(msg)
        if not msg.addressed:
            return  # ordinary group talk: the bot speaks only when spoken to
        if msg.command:
            await self._dispatch(msg, platform)
            return
        if msg.document is not None:
            if msg.chat_type == "private":
                await self._admin.upload(msg, platform)
            return
        text = msg.text.strip()
        if not text:
            await self.courier.send(
                platform, msg.chat_id, replies.TEXT_ONLY, msg.message_id or None
            )
            return
        await self._question(msg, platform, text)

    async def handle_press(self, press: ButtonPress, platform: Platform) -> None:
        """A press on one of the assistant's buttons, or on a feature's (registry.presses)."""
        if feature := self.registry.press_handler(press.data):
            role = self.role_of(press.platform, press.user_id)
            await feature(PressContext(press, platform, role, self.services))
            return
        await self.asking.press(press, platform)

    async def handle_membership(self, change: MembershipChange) -> None:
        """The bot joined, left or was promoted in a chat: keep the registry current."""
        await asyncio.to_thread(records.apply_membership, self.store, change)
        key = (change.platform, change.chat_id)
        if change.status == "left":
            self._known_chats.discard(key)
        else:
            self._known_chats.add(key)
        log.info("chat %s %s: %s", change.platform, change.chat_id, change.status)

    # -- inside --------------------------------------------------------------------

    async def _question(self, msg: IncomingMessage, platform: Platform, text: str) -> None:
        limited = self.role_of(msg.platform, msg.user_id) is not Role.ADMIN
        await self.asking.ask(msg, platform, text, limited)

    async def _dispatch(self, msg: IncomingMessage, platform: Platform) -> None:
        command = self.registry.get(msg.command or "")
        say = self._sayer(msg, platform)
        if command is None:
            if msg.chat_type == "private":
                await say(replies.UNKNOWN_COMMAND)
            return  # in a group it may be meant for another bot
        name = msg.command or ""
        if command.role > Role.MEMBER and msg.anonymous_admin:
            log.info("refused /%s: anonymous admin in %s", name, msg.chat_id)
            await say(replies.ANONYMOUS_REFUSED)
            return
        role = self.role_of(msg.platform, msg.user_id)
        if command.role > role:
            log.warning(
                "refused /%s to %s user %s (%s)", name, msg.platform, msg.user_id, role.name
            )
            await say(replies.render_refusal(name, command.role))
            return
        if command.private_only and msg.chat_type != "private":
            await say(replies.PRIVATE_ONLY)
            return
        ctx = CommandContext(
            message=msg, platform=platform, role=role, services=self.services, courier=self.courier
        )
        try:
            await command.handler(ctx)
        except DeliveryError as exc:
            log.warning("/%s: reply not delivered: %s", name, exc)
        except BotError as exc:
            await say(html.escape(str(exc), quote=False))

    def _sayer(self, msg: IncomingMessage, platform: Platform):
        async def say(text: str) -> None:
            await self.courier.send(platform, msg.chat_id, text, msg.message_id or None)

        return say

    async def _help(self, ctx: CommandContext) -> None:
        visible = self.registry.visible_to(ctx.role)
        group = ctx.message.chat_type == "group"
        if group:
            visible = [c for c in visible if not c.private_only]
        await self._sayer(ctx.message, ctx.platform)(replies.render_help(visible, ctx.role, group))

    async def _ask(self, ctx: CommandContext) -> None:
        question = ctx.message.args.strip()
        if not question:
            await self._sayer(ctx.message, ctx.platform)(replies.ASK_USAGE)
            return
        await self._question(ctx.message, ctx.platform, question)

    async def _note_group(self, msg: IncomingMessage) -> None:
        key = (msg.platform, msg.chat_id)
        if key in self._known_chats:
            return
        self._known_chats.add(key)
        await asyncio.to_thread(
            records.note_chat, self.store, msg.platform, msg.chat_id, msg.chat_title, "group"
        )

    async def _chat_gone(self, platform: str, chat_id: str, reason: str) -> None:
        self._known_chats.discard((platform, chat_id))
        await asyncio.to_thread(records.mark_chat_gone, self.store, platform, chat_id, reason)
