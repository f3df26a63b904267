"""Bot API methods of the stub: params in, the `result` value out, or an ApiError."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from testkit._limits import ApiError
from testkit._messages import (
    answer_callback_query,
    delete_message,
    edit_message_reply_markup,
    edit_message_text,
    flag_param,
    int_param,
    json_param,
    pin_chat_message,
    send_document,
    send_message,
    send_photo,
)
from testkit._world import ADMIN_STATUSES, World, chat_member

CHAT_ACTIONS = set(
    "typing upload_photo record_video upload_video record_voice upload_voice upload_document "
    "choose_sticker find_location record_video_note upload_video_note".split()
)
_COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")


def get_chat(world: World, params: dict) -> dict:
    """getChat: a ChatFullInfo with the fields PTB 22 requires."""
    chat = dict(world.find_chat(params.get("chat_id")))
    gifts = "unlimited_gifts limited_gifts unique_gifts premium_subscription gifts_from_channels"
    chat.update(
        accent_color_id=0,
        max_reaction_count=11,
        accepted_gift_types=dict.fromkeys(gifts.split(), False),
    )
    return chat


def get_chat_member(world: World, params: dict) -> dict:
    """getChatMember."""
    chat = world.find_chat(params.get("chat_id"))
    user_id = int_param(params, "user_id")
    status = world.status(chat["id"], user_id)
    if status is None:
        raise ApiError(400, "Bad Request: user not found")
    return chat_member(world.user(user_id), status)


def get_chat_administrators(world: World, params: dict) -> list[dict]:
    """getChatAdministrators: creators first, then administrators."""
    chat = world.find_chat(params.get("chat_id"))
    if chat["type"] == "private":
        raise ApiError(400, "Bad Request: there are no administrators in the private chat")
    admins = [
        (ADMIN_STATUSES.index(status), user_id, status)
        for (chat_id, user_id), status in world.statuses.items()
        if chat_id == chat["id"] and status in ADMIN_STATUSES
    ]
    return [chat_member(world.user(uid), status) for _, uid, status in sorted(admins)]


def get_file(world: World, params: dict) -> dict:
    """getFile."""
    stored = world.files.get(str(params.get("file_id")))
    if stored is None:
        raise ApiError(400, "Bad Request: invalid file_id")
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": len(stored.content),
        "file_path": stored.file_path,
    }


def send_chat_action(world: World, params: dict) -> bool:
    """sendChatAction."""
    world.writable_chat(params.get("chat_id"))
    if params.get("action") not in CHAT_ACTIONS:
        raise ApiError(400, "Bad Request: wrong parameter action in request")
    return True


def leave_chat(world: World, params: dict) -> bool:
    """leaveChat: later sends to the chat get 403."""
    chat = world.find_chat(params.get("chat_id"))
    if chat["type"] == "private":
        raise ApiError(400, "Bad Request: chat member status can't be changed in private chats")
    world.statuses[(chat["id"], world.bot_user["id"])] = "left"
    return True


def _commands_key(params: dict) -> tuple[str, str]:
    scope = json_param(params, "scope") or {"type": "default"}
    return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")


def set_my_commands(world: World, params: dict) -> bool:
    """setMyCommands."""
    commands = json_param(params, "commands")
    if not isinstance(commands, list) or len(commands) > 100:
        raise ApiError(400, "Bad Request: can't parse commands JSON object")
    for command in commands:
        if not _COMMAND_NAME.fullmatch(str(command.get("command", ""))):
            raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description", "")).strip()) <= 256:
            raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
    world.commands[_commands_key(params)] = commands
    return True


def get_my_commands(world: World, params: dict) -> list[dict]:
    """getMyCommands."""
    return world.commands.get(_commands_key(params), [])


def delete_my_commands(world: World, params: dict) -> bool:
    """deleteMyCommands."""
    world.commands.pop(_commands_key(params), None)
    return True


def set_webhook(world: World, params: dict) -> bool:
    """setWebhook: remembered only; the stub never calls out, even to loopback."""
    secret = params.get("secret_token")
    if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
        raise ApiError(400, "Bad Request: secret token contains unallowed characters")
    world.webhook = {"url": str(params.get("url") or "")}
    allowed = json_param(params, "allowed_updates")
    if isinstance(allowed, list):
        world.allowed_updates = allowed or None
    if flag_param(params, "drop_pending_updates"):
        world.updates.clear()
    return True


def delete_webhook(world: World, params: dict) -> bool:
    """deleteWebhook."""
    world.webhook = {"url": ""}
    if flag_param(params, "drop_pending_updates"):
        world.updates.clear()
    return True


def get_webhook_info(world: World, params: dict) -> dict:
    """getWebhookInfo."""
    info = {
        "url": world.webhook["url"],
        "has_custom_certificate": False,
        "pending_update_count": len(world.updates),
    }
    if world.webhook["url"]:
        info["max_connections"] = 40
    return info


def get_me(world: World, params: dict) -> dict:
    """getMe."""
    return dict(world.bot_user)


def ok(world: World, params: dict) -> bool:
    """close and logOut: nothing to do but say yes."""
    return True


Method = Callable[[World, dict], object]
METHODS: dict[str, Method] = {
    "getMe": get_me,
    "sendMessage": send_message,
    "sendPhoto": send_photo,
    "sendDocument": send_document,
    "editMessageText": edit_message_text,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "deleteMessage": delete_message,
    "pinChatMessage": pin_chat_message,
    "answerCallbackQuery": answer_callback_query,
    "getChat": get_chat,
    "getChatMember": get_chat_member,
    "getChatAdministrators": get_chat_administrators,
    "getFile": get_file,
    "sendChatAction": send_chat_action,
    "leaveChat": leave_chat,
    "setMyCommands": set_my_commands,
    "getMyCommands": get_my_commands,
    "deleteMyCommands": delete_my_commands,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
    "close": ok,
    "logOut": ok,
}
SENDING_METHODS = frozenset({"sendMessage", "sendPhoto", "sendDocument"})
# Telegram method names are case-insensitive.
CANONICAL = {name.lower(): name for name in [*METHODS, "getUpdates"]}
