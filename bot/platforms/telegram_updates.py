"""Telegram updates reduced to the core's event values: who wrote, to whom, and what.

Anonymous group admins write "as the group": Telegram shows user 1087968824 and sets
sender_chat to the group. We cannot tell which admin it is, so such a message is marked
`anonymous_admin`, carries the group's id as its user id (never a configured admin id),
and the assistant answers its questions but refuses role-bound commands with an
explanation. Messages sent as a channel are treated the same way, minus the flag.
"""

from __future__ import annotations

from telegram import CallbackQuery, ChatMemberUpdated, Message, MessageEntity
from telegram.constants import ChatID, ChatMemberStatus, ChatType

from bot.chat import (
    ButtonPress,
    DocumentUpload,
    IncomingMessage,
    MembershipChange,
)

PLATFORM = "telegram"
_ADMIN = {ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER}
_GONE = {ChatMemberStatus.LEFT, ChatMemberStatus.BANNED}


def _chat_type(kind: str) -> str | None:
    if kind == ChatType.PRIVATE:
        return "private"
    if kind in (ChatType.GROUP, ChatType.SUPERGROUP):
        return "group"
    return None  # channels: the bot does not converse there


def incoming(message: Message, bot_id: int, bot_username: str) -> IncomingMessage | None:
    """The message as the assistant sees it, or None for what it must never answer."""
    chat_type = _chat_type(message.chat.type)
    sender = message.from_user
    if chat_type is None or sender is None or message.is_automatic_forward:
        return None
    if sender.is_bot and message.sender_chat is None:
        return None  # other bots (and our own echoes)
    if sender.id == ChatID.SERVICE_CHAT:
        return None
    if message.text is not None:
        text, entities = message.text, message.parse_entities()
    else:
        text, entities = message.caption or "", message.parse_caption_entities()
    command, args, for_other_bot = None, "", False
    for entity, value in entities.items():
        if entity.type == MessageEntity.BOT_COMMAND and entity.offset == 0:
            name, _, target = value[1:].partition("@")
            if target and target.lower() != bot_username.lower():
                for_other_bot = True
            else:
                command = name.lower()
                args = text[len(value) :].strip()
    mentioned = False
    question = text
    for entity, value in entities.items():
        if (entity.type == MessageEntity.MENTION and value[1:].lower() == bot_username.lower()) or (
            entity.type == MessageEntity.TEXT_MENTION and entity.user and entity.user.id == bot_id
        ):
            mentioned = True
            question = question.replace(value, " ")
    replied = message.reply_to_message
    replied_from = replied.from_user if replied is not None else None
    to_bot = replied_from is not None and replied_from.id == bot_id
    sender_chat = message.sender_chat
    addressed = not for_other_bot and (
        chat_type == "private" or command is not None or mentioned or to_bot
    )
    return IncomingMessage(
        platform=PLATFORM,
        chat_id=str(message.chat.id),
        chat_type=chat_type,  # type: ignore[arg-type]
        user_id=str(sender_chat.id if sender_chat else sender.id),
        text=" ".join(question.split()) if command is None else text,
        message_id=str(message.message_id),
        chat_title=message.chat.title or "",
        user_name=(sender_chat.title or "") if sender_chat else sender.full_name,
        addressed=addressed,
        command=command,
        args=args,
        reply_to_user_id=str(replied_from.id) if replied_from else None,
        anonymous_admin=sender_chat is not None
        and (sender.id == ChatID.ANONYMOUS_ADMIN or sender_chat.id == message.chat.id),
        document=_upload(message),
    )


def _upload(message: Message) -> DocumentUpload | None:
    """The document, or the largest size of the photo, that came with a message."""
    if message.document is not None:
        document = message.document
        return DocumentUpload(
            file_ref=document.file_id,
            file_name=document.file_name or "",
            size=document.file_size or 0,
            mime_type=document.mime_type or "",
        )
    if message.photo:
        largest = message.photo[-1]
        return DocumentUpload(
            file_ref=largest.file_id, file_name="", size=largest.file_size or 0, kind="photo"
        )
    return None


def press(query: CallbackQuery) -> ButtonPress | None:
    """A press on an inline button of a message the bot sent in a chat."""
    if query.message is None:
        return None  # inline-mode messages: not ours
    return ButtonPress(
        platform=PLATFORM,
        chat_id=str(query.message.chat.id),
        user_id=str(query.from_user.id),
        message_id=str(query.message.message_id),
        data=query.data or "",
        press_id=query.id,
    )


def membership(update: ChatMemberUpdated) -> MembershipChange | None:
    """The bot's own membership change in a chat (added, promoted, removed)."""
    chat_type = _chat_type(update.chat.type)
    if chat_type is None:
        return None
    new = update.new_chat_member
    if new.status in _ADMIN:
        status = "admin"
    elif new.status in _GONE or (
        new.status == ChatMemberStatus.RESTRICTED and not getattr(new, "is_member", True)
    ):
        status = "left"
    else:
        status = "member"
    return MembershipChange(
        platform=PLATFORM,
        chat_id=str(update.chat.id),
        chat_title=update.chat.title or update.chat.full_name or "",
        chat_type=chat_type,  # type: ignore[arg-type]
        status=status,  # type: ignore[arg-type]
        by_user_id=str(update.from_user.id) if update.from_user else "",
    )
