"""The command registry: every platform-independent command, with the role it needs.

Each feature object registers its bound-method handlers here (the assistant's own /giup and
/hoi in bot/assistant/core.py, admin commands in bot/assistant/admin.py, broadcast commands
in bot/broadcast/commands.py); the assistant parses a message, checks the caller's role and
calls the handler. A handler reaches only what its feature object was built with; the
context carries the message, the caller's role and the platform to answer on.
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.chat import (
    ButtonPress,
    IncomingMessage,
    OutgoingMessage,
    Platform,
    SentMessage,
)


class Replier(Protocol):
    """What sends a reply as one delivery (bot.assistant.delivery.Courier)."""

    async def send(
        self, platform: Platform, chat_id: str, message: OutgoingMessage, reply_to: str | None
    ) -> SentMessage | None: ...


class Role(enum.IntEnum):
    """Who may do what; each role may do everything the roles below it may."""

    MEMBER = 0
    MODERATOR = 1
    ADMIN = 2


ROLE_NAMES_VI = {
    Role.MEMBER: "thành viên",
    Role.MODERATOR: "người điều hành",
    Role.ADMIN: "quản trị",
}


@dataclass
class CommandContext:
    """What a command handler gets: the message, the caller's role, and a way to answer."""

    message: IncomingMessage
    platform: Platform
    role: Role
    courier: Replier | None = None  # replies as one delivery each, counted (assistant)

    async def reply(self, text: str, **kwargs: Any) -> SentMessage | None:
        """Answer the command; None when it could not be delivered (the courier logged it)."""
        message = OutgoingMessage(text=text, **kwargs)
        reply_to = self.message.message_id or None
        if self.courier is not None:
            return await self.courier.send(self.platform, self.message.chat_id, message, reply_to)
        return await self.platform.send(self.message.chat_id, message, reply_to=reply_to)


Handler = Callable[[CommandContext], Awaitable[None]]


@dataclass
class PressContext:
    """What a feature's button handler gets: the press, the presser's role, the platform."""

    press: ButtonPress
    platform: Platform
    role: Role


PressHandler = Callable[[PressContext], Awaitable[None]]
# a document sent in a private chat without a command (admins add it to the knowledge base)
UploadHandler = Callable[[IncomingMessage, Platform], Awaitable[None]]


@dataclass(frozen=True)
class Command:
    names: tuple[str, ...]  # first is the canonical (Vietnamese) name, others are aliases
    role: Role
    summary_vi: str  # one line for /help
    handler: Handler
    private_only: bool = False  # e.g. composing posts happens in a private chat


@dataclass
class CommandRegistry:
    commands: dict[str, Command] = field(default_factory=dict)
    # button data "prefix:…" -> the feature that made the button (e.g. "bc" for broadcasts)
    presses: dict[str, PressHandler] = field(default_factory=dict)
    upload: UploadHandler | None = None

    def add_press(self, prefix: str, handler: PressHandler) -> None:
        if prefix in self.presses:
            raise ValueError(f"button prefix {prefix!r} registered twice")
        self.presses[prefix] = handler

    def press_handler(self, data: str | None) -> PressHandler | None:
        """The feature handler for button data, or None (the assistant's own buttons)."""
        return self.presses.get((data or "").partition(":")[0])

    def add(self, command: Command) -> None:
        for name in command.names:
            if name in self.commands:
                raise ValueError(f"command /{name} registered twice")
            self.commands[name] = command

    def get(self, name: str) -> Command | None:
        return self.commands.get(name.lower())

    def visible_to(self, role: Role) -> list[Command]:
        """Distinct commands a role may use, in registration order (for /help)."""
        seen: list[Command] = []
        for command in self.commands.values():
            if command.role <= role and command not in seen:
                seen.append(command)
        return seen
