"""The Telegram adapter: the Platform verbs on a python-telegram-bot `Bot`, errors translated.

PTB exception            -> bot.errors
RetryAfter               -> RetryLater (nothing was delivered)
Forbidden                -> ChatGone (blocked, kicked)
ChatMigrated             -> ChatGone (the group became a supergroup with a new id)
BadRequest "chat not found" and kin -> ChatGone; any other BadRequest -> Rejected
TimedOut                 -> Uncertain, except connect/pool timeouts -> Unreachable
NetworkError (connect)   -> Unreachable; other NetworkError -> Uncertain
"""

from __future__ import annotations

import datetime as dtm
import os
from collections.abc import Awaitable
from typing import TypeVar

import httpx
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    ReplyParameters,
)
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.chat import Capabilities, OutgoingMessage, SentMessage
from bot.errors import (
    ChatGone,
    DeliveryError,
    Rejected,
    RetryLater,
    Uncertain,
    Unreachable,
)

# Opt in to PTB's timedelta durations now: reading RetryAfter.retry_after as an int warns,
# and the warning fires inside PTB's own request code (fatal under filterwarnings=error).
os.environ.setdefault("PTB_TIMEDELTA", "true")

T = TypeVar("T")

ADMIN_STATUSES = frozenset({"administrator", "creator"})
_GONE_PHRASES = (
    "chat not found",
    "bot was kicked",
    "bot is not a member",
    "group chat was deactivated",
    "user is deactivated",
    "peer_id_invalid",
    "have no rights to send",
    "not enough rights to send",
)
_NOT_MODIFIED = "message is not modified"


def translate(exc: TelegramError) -> DeliveryError:
    """The bot.errors equivalent of a PTB exception (see the module docstring)."""
    text = str(exc)
    if isinstance(exc, RetryAfter):
        wait = exc.retry_after
        seconds = wait.total_seconds() if isinstance(wait, dtm.timedelta) else float(wait)
        return RetryLater(seconds, text)
    if isinstance(exc, Forbidden):
        return ChatGone(text)
    if isinstance(exc, ChatMigrated):
        return ChatGone(f"{text} (new id {exc.new_chat_id})")
    if isinstance(exc, BadRequest):
        low = text.lower()
        if any(phrase in low for phrase in _GONE_PHRASES):
            return ChatGone(text)
        return Rejected(text)
    if isinstance(exc, TimedOut):
        if isinstance(exc.__cause__, httpx.ConnectTimeout | httpx.PoolTimeout):
            return Unreachable(text)
        return Uncertain(text)
    if isinstance(exc, NetworkError):
        if isinstance(exc.__cause__, httpx.ConnectError):
            return Unreachable(text)
        if isinstance(exc.__cause__, RuntimeError) and "not initialized" in str(exc.__cause__):
            # between a failed start and the next try (TelegramRunner) PTB's client is
            # closed: nothing left, so it is tried again like a refused connection
            return Unreachable(text)
        return Uncertain(text)
    return Rejected(text)


async def _call(request: Awaitable[T]) -> T:
    try:
        return await request
    except TelegramError as exc:
        raise translate(exc) from exc


def keyboard(message: OutgoingMessage) -> InlineKeyboardMarkup | None:
    if not message.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(b.text, url=b.url)
                if b.url
                else InlineKeyboardButton(b.text, callback_data=b.data or "-")
                for b in row
            ]
            for row in message.buttons
        ]
    )


class TelegramPlatform:
    """Platform over one PTB Bot (the Application's, so its rate limiter and pool apply)."""

    name = "telegram"

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self.capabilities = Capabilities()

    async def send(
        self, chat_id: str, message: OutgoingMessage, reply_to: str | None = None
    ) -> SentMessage:
        reply = (
            ReplyParameters(message_id=int(reply_to), allow_sending_without_reply=True)
            if reply_to
            else None
        )
        common = {
            "chat_id": int(chat_id),
            "parse_mode": ParseMode.HTML,
            "reply_markup": keyboard(message),
            "disable_notification": message.silent,
            "reply_parameters": reply,
        }
        attachment = message.attachment
        if attachment is None:
            sent = await _call(
                self.bot.send_message(
                    text=message.text,
                    link_preview_options=LinkPreviewOptions(is_disabled=not message.preview_links),
                    **common,
                )
            )
        elif attachment.kind == "photo":
            sent = await _call(
                self.bot.send_photo(photo=attachment.file_ref, caption=message.text, **common)
            )
        else:
            sent = await _call(
                self.bot.send_document(
                    document=attachment.file_ref,
                    filename=attachment.file_name or None,
                    caption=message.text,
                    **common,
                )
            )
        return SentMessage(chat_id=str(sent.chat_id), message_id=str(sent.message_id))

    async def edit(self, chat_id: str, message_id: str, message: OutgoingMessage) -> None:
        try:
            await _call(
                self.bot.edit_message_text(
                    text=message.text,
                    chat_id=int(chat_id),
                    message_id=int(message_id),
                    parse_mode=ParseMode.HTML,
                    reply_markup=keyboard(message),
                    link_preview_options=LinkPreviewOptions(is_disabled=not message.preview_links),
                )
            )
        except Rejected as exc:
            if _NOT_MODIFIED not in str(exc).lower():  # pressing the same page twice
                raise

    async def answer_press(self, press_id: str, text: str = "") -> None:
        await _call(self.bot.answer_callback_query(press_id, text=text or None))

    async def is_chat_admin(self, chat_id: str, user_id: str) -> bool:
        member = await _call(self.bot.get_chat_member(int(chat_id), int(user_id)))
        return member.status in ADMIN_STATUSES

    async def pin(self, chat_id: str, message_id: str, silent: bool = True) -> None:
        await _call(
            self.bot.pin_chat_message(int(chat_id), int(message_id), disable_notification=silent)
        )

    async def fetch_document(self, file_ref: str, limit: int) -> bytes:
        file = await _call(self.bot.get_file(file_ref))
        if file.file_size is not None and file.file_size > limit:
            raise Rejected(f"tệp lớn hơn giới hạn {limit} byte")
        data = bytes(await _call(file.download_as_bytearray()))
        if len(data) > limit:
            raise Rejected(f"tệp lớn hơn giới hạn {limit} byte")
        return data
