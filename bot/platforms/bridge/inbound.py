"""Bridge updates reduced to the core's event values, as the Telegram adapter does for its own."""

from __future__ import annotations

import re

from bot.chat import ButtonPress, IncomingMessage, MembershipChange
from bot.platforms.bridge.schema import MembershipUpdate, MessageUpdate, PressUpdate

# "/hoi@botname rest": the name after @ is the messenger's way to address one bot
_COMMAND = re.compile(r"^/([A-Za-z0-9_]{1,32})(?:@\S+)?(?:\s+|$)(.*)$", re.DOTALL)


def message(update: MessageUpdate) -> IncomingMessage:
    """A message as the assistant sees it: commands split off, whitespace tidied."""
    text = update.text.strip()
    command, args = None, ""
    if match := _COMMAND.match(text):
        command, args = match[1].lower(), match[2].strip()
    return IncomingMessage(
        platform=update.platform,
        chat_id=update.chat_id,
        chat_type=update.chat_type,
        user_id=update.user_id,
        text=text if command else " ".join(text.split()),
        message_id=update.message_id,
        chat_title=update.chat_title,
        user_name=update.display_name,
        addressed=update.addressed or update.chat_type == "private" or command is not None,
        command=command,
        args=args,
        reply_to_user_id=update.reply_to_user_id,
    )


def press(update: PressUpdate) -> ButtonPress:
    return ButtonPress(
        platform=update.platform,
        chat_id=update.chat_id,
        user_id=update.user_id,
        message_id=update.message_id,
        data=update.data,
        press_id=update.press_id,
    )


def membership(update: MembershipUpdate) -> MembershipChange:
    return MembershipChange(
        platform=update.platform,
        chat_id=update.chat_id,
        chat_title=update.chat_title,
        chat_type=update.chat_type,
        status=update.status,
        by_user_id=update.by_user_id,
    )


def replay_key(update: MessageUpdate | PressUpdate | MembershipUpdate) -> tuple[str, str]:
    """(kind, id) that may be accepted only once per platform within the window."""
    if isinstance(update, MessageUpdate):
        return "message", f"{update.chat_id}/{update.message_id}"
    if isinstance(update, PressUpdate):
        return "press", update.press_id
    return "membership", update.event_id
