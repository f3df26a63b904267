"""The chat-platform port: what the core needs from Telegram, the HTTP bridge or a console.

The core never imports a platform library. Adapters turn platform updates into the event
values below and implement `Platform`; they translate platform errors into the
DeliveryError family of bot.errors (RetryLater, Unreachable, ChatGone, Rejected, Uncertain).
Text is a subset of Telegram HTML (b, i, u, s, a, code, pre, blockquote): the console and
the bridge strip or convert it.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Literal, Protocol, runtime_checkable

ChatType = Literal["private", "group"]

# The idempotency key of the message being sent, the same on every try of it: the broadcast
# engine sets "broadcast-<delivery id>", the reply courier one per reply. An adapter whose
# far end can de-duplicate (the bridge: its delivery_id) sends it; Telegram has no such key.
DELIVERY_KEY: ContextVar[str | None] = ContextVar("delivery_key", default=None)


@dataclass(frozen=True)
class Button:
    """An inline button: `data` comes back as a ButtonPress; `url` opens a link."""

    text: str
    data: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Attachment:
    """A photo or document sent with a caption (the message text)."""

    kind: Literal["photo", "document"]
    file_ref: str  # platform file id, URL, or local path
    file_name: str = ""


@dataclass(frozen=True)
class OutgoingMessage:
    text: str  # Telegram HTML
    buttons: tuple[tuple[Button, ...], ...] = ()
    attachment: Attachment | None = None
    silent: bool = False
    preview_links: bool = False


@dataclass(frozen=True)
class SentMessage:
    chat_id: str
    message_id: str


@dataclass(frozen=True)
class IncomingMessage:
    """A message the bot received, already reduced to what the core needs."""

    platform: str
    chat_id: str
    chat_type: ChatType
    user_id: str
    text: str
    message_id: str = ""
    chat_title: str = ""
    user_name: str = ""
    addressed: bool = True  # private chat, a command, a mention or a reply to the bot
    command: str | None = None  # "hoi" for "/hoi …" (without slash or @botname)
    args: str = ""  # the text after the command
    reply_to_user_id: str | None = None  # who the replied-to message was from
    anonymous_admin: bool = False  # written "as the group" by an anonymous admin
    document: DocumentUpload | None = None


@dataclass(frozen=True)
class DocumentUpload:
    """A file that came with a message: a document, or a photo (for a moderator's post)."""

    file_ref: str
    file_name: str
    size: int
    mime_type: str = ""
    kind: Literal["document", "photo"] = "document"


@dataclass(frozen=True)
class ButtonPress:
    platform: str
    chat_id: str
    user_id: str
    message_id: str
    data: str
    press_id: str  # to acknowledge the press (Telegram callback query id)


@dataclass(frozen=True)
class MembershipChange:
    """The bot was added to, removed from, or promoted in a chat."""

    platform: str
    chat_id: str
    chat_title: str
    chat_type: ChatType
    status: Literal["member", "admin", "left"]
    by_user_id: str = ""


@dataclass
class Capabilities:
    max_text: int = 4096
    max_caption: int = 1024
    buttons: bool = True
    edits: bool = True
    extras: dict[str, bool] = field(default_factory=dict)


class Platform(Protocol):
    """The verbs every chat platform adapter provides."""

    name: str
    capabilities: Capabilities

    async def send(
        self, chat_id: str, message: OutgoingMessage, reply_to: str | None = None
    ) -> SentMessage: ...

    async def edit(self, chat_id: str, message_id: str, message: OutgoingMessage) -> None: ...

    async def answer_press(self, press_id: str, text: str = "") -> None: ...

    async def is_chat_admin(self, chat_id: str, user_id: str) -> bool: ...

    async def pin(self, chat_id: str, message_id: str, silent: bool = True) -> None: ...

    async def fetch_document(self, file_ref: str, limit: int) -> bytes: ...


@runtime_checkable
class PrivateMessaging(Protocol):
    """A platform whose private chats are not addressed by the user's id (the bridge).

    Elsewhere (Telegram, the console) a member is written to privately with
    `send(user_id, …)`; callers that mean "this member, privately" use `send_to_user`
    when the platform has it."""

    async def send_to_user(self, user_id: str, message: OutgoingMessage) -> SentMessage: ...


async def send_privately(platform: Platform, user_id: str, message: OutgoingMessage) -> SentMessage:
    """Write to a member in their private chat with the bot, on any platform."""
    if isinstance(platform, PrivateMessaging):
        return await platform.send_to_user(user_id, message)
    return await platform.send(user_id, message)
