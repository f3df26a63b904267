"""The platform-independent assistant: every adapter hands it events, it decides and replies."""

from __future__ import annotations

import contextlib
import html
import logging
from dataclasses import dataclass

from bot import replies
from bot.assistant.asking import Asking
from bot.assistant.chats import ChatRegistry
from bot.assistant.delivery import Courier
from bot.assistant.ratelimit import RateLimiter
from bot.assistant.roles import Roles
from bot.chat import ButtonPress, IncomingMessage, MembershipChange, Platform
from bot.commands import Command, CommandContext, CommandRegistry, PressContext, Role
from bot.errors import BotError, DeliveryError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AssistantConfig:
    """The assistant's knobs (bot.app builds them from Settings)."""

    max_question_chars: int = 500
    rate_burst: int = 5  # questions a user may ask at once…
    rate_per_minute: float = 10.0  # …and how fast that allowance refills
    # every update a member sends (questions, commands, presses) draws from one budget
    update_burst: int = 10
    update_per_minute: float = 20.0
    # replies to commands in one group: well under Telegram's 20 messages a minute per
    # group, so answers to questions always have room (a /giup flood cannot starve them)
    group_command_burst: int = 4
    group_command_per_minute: float = 8.0
    max_upload_bytes: int = 10_000_000
    reload_progress_interval: float = 2.0  # seconds between edits of the progress message
    timezone: str = "Asia/Ho_Chi_Minh"


class Assistant:
    """Members ask, admins manage: one instance serves every platform adapter.

    Built by the composition root (bot.app) from its parts; features register their own
    commands and buttons in the registry, the assistant routes each event to them.
    """

    def __init__(
        self,
        *,
        registry: CommandRegistry,
        roles: Roles,
        chats: ChatRegistry,
        asking: Asking,
        courier: Courier,
        config: AssistantConfig | None = None,
    ) -> None:
        self.registry = registry
        self.roles = roles
        self.chats = chats
        self.asking = asking
        self.courier = courier
        config = config or AssistantConfig()
        self.budget = RateLimiter(config.update_burst, config.update_per_minute)
        self.group_commands = RateLimiter(
            config.group_command_burst, config.group_command_per_minute
        )

    def commands(self) -> list[Command]:
        return [
            Command(("giup", "help", "start"), Role.MEMBER, "hướng dẫn sử dụng", self._help),
            Command(("hoi", "ask"), Role.MEMBER, "hỏi một câu: /hoi <câu hỏi>", self._ask),
        ]

    async def start(self) -> None:
        """Reload the moderators (another process may have changed them)."""
        await self.roles.reload()

    def role_of(self, platform: str, user_id: str) -> Role:
        return self.roles.role_of(platform, user_id)

    # -- events --------------------------------------------------------------------

    async def handle_message(self, msg: IncomingMessage, platform: Platform) -> None:
        """A message: a command, a question, a document, or group talk not meant for us."""
        if msg.chat_type == "group":
            await self.chats.heard_in_group(msg)
        if not msg.addressed:
            return  # ordinary group talk: the bot speaks only when spoken to
        if not await self._within_budget(msg, platform):
            return
        if msg.command:
            await self._dispatch(msg, platform)
            return
        if msg.document is not None:
            if msg.chat_type == "private" and self.registry.upload is not None:
                await self.registry.upload(msg, platform)
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
        role = self.role_of(press.platform, press.user_id)
        if role is not Role.ADMIN:
            decision = self.budget.check(f"{press.platform}:{press.user_id}")
            if not decision.allowed:
                # a press's answer is a toast, not a chat message: no chat budget spent
                with contextlib.suppress(BotError):
                    await platform.answer_press(
                        press.press_id, replies.render_too_fast(decision.retry_after)[:200]
                    )
                return
        if feature := self.registry.press_handler(press.data):
            await feature(PressContext(press, platform, role))
            return
        await self.asking.press(press, platform)

    async def handle_membership(self, change: MembershipChange) -> None:
        """The bot joined, left or was promoted in a chat: keep the registry current."""
        await self.chats.membership(change)

    # -- inside --------------------------------------------------------------------

    async def _within_budget(self, msg: IncomingMessage, platform: Platform) -> bool:
        """The member's budget across every kind of update, and a group's budget for
        command replies; admins are trusted with neither."""
        if self.role_of(msg.platform, msg.user_id) is Role.ADMIN:
            return True
        decision = self.budget.check(f"{msg.platform}:{msg.user_id}")
        if not decision.allowed:
            if decision.warn:  # once per burst, then silence
                text = replies.render_too_fast(decision.retry_after)
                await self.courier.send(platform, msg.chat_id, text, msg.message_id or None)
            return False
        command = self.registry.get(msg.command or "") if msg.command else None
        if msg.chat_type == "group" and command is not None and command.handler != self._ask:
            chat = self.group_commands.check(f"{msg.platform}:{msg.chat_id}")
            if not chat.allowed:
                log.info(
                    "/%s in %s not answered: the group's command budget", msg.command, msg.chat_id
                )
                return False
        return True

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
        ctx = CommandContext(message=msg, platform=platform, role=role, courier=self.courier)
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
