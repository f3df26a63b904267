"""The bridge's wire format: pydantic models for both directions, and the OpenAPI document's source.

Inbound (connector -> bot, POST /bridge/v1/updates): one `Update` per request, a message, a
button press or a membership change, told apart by `type`. Outbound (bot -> connector): one
`Delivery` per request; a `send` is answered with a `Receipt`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

Id = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^\S(.*\S)?$")]
Platform = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]{1,31}$")]
Timestamp = Annotated[int, Field(ge=0, le=10**11, description="Unix seconds")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=False)


class MessageUpdate(_Model):
    """A member wrote to the bot, or in a group the bot is in."""

    type: Literal["message"]
    platform: Platform
    chat_id: Id
    chat_type: Literal["private", "group"]
    chat_title: str = Field(default="", max_length=256)
    user_id: Id
    display_name: str = Field(default="", max_length=256)
    message_id: Id = Field(description="unique in the chat; a repeated id is refused (409)")
    text: str = Field(max_length=4096)
    addressed: bool = Field(
        default=False,
        description="the member mentioned the bot or replied to it; implied in private "
        "chats and for commands (text starting with /)",
    )
    reply_to_message_id: Id | None = None
    reply_to_user_id: Id | None = Field(
        default=None, description="author of the replied-to message (for /capquyen by reply)"
    )
    timestamp: Timestamp


class PressUpdate(_Model):
    """A member pressed a button the bot sent (its `data` comes back unchanged)."""

    type: Literal["press"]
    platform: Platform
    chat_id: Id
    user_id: Id
    message_id: Id = Field(description="the bot's message that carried the button")
    data: str = Field(min_length=1, max_length=64)
    press_id: Id = Field(description="unique per press; a repeated id is refused (409)")
    timestamp: Timestamp


class MembershipUpdate(_Model):
    """The bot was added to, promoted in, or removed from a chat."""

    type: Literal["membership"]
    platform: Platform
    chat_id: Id
    chat_type: Literal["private", "group"] = "group"
    chat_title: str = Field(default="", max_length=256)
    status: Literal["member", "admin", "left"]
    by_user_id: str = Field(default="", max_length=64)
    event_id: Id = Field(description="unique per event; a repeated id is refused (409)")
    timestamp: Timestamp


Update = Annotated[MessageUpdate | PressUpdate | MembershipUpdate, Field(discriminator="type")]


UPDATE = TypeAdapter(Update)


class Accepted(_Model):
    """202: the update was taken; replies follow as separate posts to the connector."""

    status: Literal["accepted"] = "accepted"
    type: Literal["message", "press", "membership"]
    id: str


class Problem(_Model):
    """Every error answer: a stable code for programs, a sentence for people."""

    error: Literal[
        "too_large",
        "missing_signature",
        "bad_signature",
        "stale_timestamp",
        "malformed_json",
        "invalid_update",
        "platform_mismatch",
        "duplicate",
    ]
    message: str
    details: list[dict] = Field(default_factory=list)


class ButtonOut(_Model):
    text: str
    data: str | None = Field(default=None, description="send back as a press update")
    url: str | None = Field(default=None, description="a link to open instead")


class AttachmentOut(_Model):
    kind: Literal["photo", "document"]
    ref: str = Field(
        description="an https URL, or another platform's file id (unusable: show the text alone)"
    )
    file_name: str = ""


class Delivery(_Model):
    """What the bot posts to the connector: send, edit, answer a press, or pin."""

    delivery_id: str = Field(description="the same on every retry of this post: dedupe by it")
    action: Literal["send", "edit", "answer_press", "pin"]
    platform: str
    chat_id: str = ""
    user_id: str | None = Field(
        default=None,
        description="set when the bot writes to this member privately: route by it if "
        "chat_id is not the member's private chat on your side",
    )
    text: str = Field(default="", description="plain text, ready to show")
    html: str = Field(default="", description="the same with Telegram-style HTML tags")
    buttons: list[list[ButtonOut]] = Field(default_factory=list)
    attachment: AttachmentOut | None = None
    reply_to_message_id: str | None = None
    message_id: str | None = Field(default=None, description="edit, pin: the bot's message")
    press_id: str | None = Field(default=None, description="answer_press: the press")
    silent: bool = False
    attempt: int = Field(
        default=1, ge=1, description="1, then 2, 3 … on the retries of one round (see the guide)"
    )


class Receipt(_Model):
    """The connector's 2xx answer to a send: the id the messenger gave the message."""

    message_id: str | None = Field(
        default=None, description="used for later edits and pins; the delivery_id if absent"
    )
