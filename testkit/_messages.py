"""Bot API methods that send, edit and remove messages."""

from __future__ import annotations

import json
import time
from urllib.parse import urlsplit

from bot.markup import EntityParseError, parse_html
from testkit._limits import ApiError
from testkit._world import ADMIN_STATUSES, StoredFile, UploadedFile, World

MAX_TEXT = 4096
MAX_CAPTION = 1024
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
BUTTON_ACTIONS = set(
    "url callback_data web_app login_url switch_inline_query switch_inline_query_current_chat "
    "switch_inline_query_chosen_chat copy_text callback_game pay".split()
)


def json_param(params: dict, name: str) -> object:
    """A parameter that is JSON on the wire (PTB JSON-encodes non-string values)."""
    value = params.get(name)
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            raise ApiError(400, f"Bad Request: can't parse {name} JSON object") from None
    return value


def int_param(params: dict, name: str) -> int:
    """A required integer parameter."""
    try:
        return int(str(params[name]))
    except (KeyError, ValueError):
        raise ApiError(400, f"Bad Request: {name} is empty") from None


def flag_param(params: dict, name: str) -> bool:
    """A Boolean parameter, whether sent as JSON true or the string "true"."""
    return str(params.get(name, "")).lower() in ("true", "1")


def _formatted(
    params: dict, key: str, entities_key: str, limit: int, too_long: str
) -> tuple[str | None, list[dict]]:
    """Text after its parse mode, with entities; length counted in characters."""
    raw = params.get(key)
    if raw is None:
        return None, []
    text, mode = str(raw), str(params.get("parse_mode") or "").lower()
    entities: list[dict] = []
    if mode == "html":
        try:
            text, entities = parse_html(text)
        except EntityParseError as exc:
            raise ApiError(400, f"Bad Request: can't parse entities: {exc}") from None
    elif mode and mode not in ("markdown", "markdownv2"):
        raise ApiError(400, "Bad Request: unsupported parse_mode")
    elif not mode:
        entities = list(json_param(params, entities_key) or [])
    # Telegram counts the text after entity parsing; this counts code points, not UTF-16.
    if len(text) > limit:
        raise ApiError(400, f"Bad Request: {too_long}")
    return text, entities


def _text(params: dict) -> tuple[str, list[dict]]:
    text, entities = _formatted(params, "text", "entities", MAX_TEXT, "message is too long")
    if text is None or not text.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    return text, entities


def _reply_markup(params: dict) -> dict | None:
    """The inline keyboard to echo in the Message (reply keyboards are not echoed)."""
    markup = json_param(params, "reply_markup")
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    rows = markup.get("inline_keyboard")
    if rows is None:
        return None
    for row in rows:
        for button in row:
            if not BUTTON_ACTIONS & set(button):
                raise ApiError(
                    400,
                    "Bad Request: can't parse inline keyboard button: "
                    "Text buttons are unallowed in the inline keyboard",
                )
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= 64:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
    return markup


def _reply_to(world: World, chat: dict, params: dict) -> dict | None:
    reply = json_param(params, "reply_parameters")
    if isinstance(reply, dict):
        message_id, allow = reply.get("message_id"), reply.get("allow_sending_without_reply")
    else:
        message_id = params.get("reply_to_message_id")
        allow = flag_param(params, "allow_sending_without_reply")
    if message_id is None:
        return None
    original = world.messages[chat["id"]].get(int(str(message_id)))
    if original is None:
        if allow:
            return None
        raise ApiError(400, "Bad Request: message to be replied not found")
    return {k: v for k, v in original.items() if k != "reply_to_message"}


def _deliver(world: World, chat: dict, params: dict, **content: object) -> dict:
    reply_to, markup = _reply_to(world, chat, params), _reply_markup(params)
    # Flood limits count only what would be delivered, so they are checked last.
    world.admit_send(chat)
    message = world.new_message(
        chat, world.bot_user, reply_to_message=reply_to, reply_markup=markup, **content
    )
    world.delivered.append(message)
    return message


def send_message(world: World, params: dict) -> dict:
    """sendMessage."""
    chat = world.writable_chat(params.get("chat_id"))
    text, entities = _text(params)
    return _deliver(world, chat, params, text=text, entities=entities or None)


def _upload(world: World, params: dict, field: str, folder: str) -> StoredFile:
    value = params.get(field)
    if isinstance(value, str) and value.startswith("attach://"):
        value = params.get(value.removeprefix("attach://"))
    if isinstance(value, UploadedFile):
        return world.store_file(value.content, folder, value.filename, value.mime_type)
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        # Never fetched: the stub must not reach off the machine.
        name = urlsplit(value).path.rsplit("/", 1)[-1] or None
        return world.store_file(b"", folder, name, None)
    if isinstance(value, str) and value in world.files:
        return world.files[value]
    if value is None:
        raise ApiError(400, f"Bad Request: there is no {field} in the request")
    raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")


def _caption(params: dict) -> dict:
    caption, entities = _formatted(
        params, "caption", "caption_entities", MAX_CAPTION, "message caption is too long"
    )
    return {"caption": caption or None, "caption_entities": entities or None}


def send_photo(world: World, params: dict) -> dict:
    """sendPhoto."""
    chat = world.writable_chat(params.get("chat_id"))
    caption = _caption(params)
    stored = _upload(world, params, "photo", "photos")
    size = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": len(stored.content),
        "width": 800,
        "height": 600,
    }
    return _deliver(world, chat, params, photo=[size], **caption)


def send_document(world: World, params: dict) -> dict:
    """sendDocument."""
    chat = world.writable_chat(params.get("chat_id"))
    caption = _caption(params)
    stored = _upload(world, params, "document", "documents")
    document = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_name": stored.file_name,
        "mime_type": stored.mime_type,
        "file_size": len(stored.content),
    }
    document = {k: v for k, v in document.items() if v is not None}
    return _deliver(world, chat, params, document=document, **caption)


def _own_message(world: World, params: dict) -> dict:
    chat = world.find_chat(params.get("chat_id"))
    message = world.find_message(chat["id"], params.get("message_id"), "message to edit not found")
    if message["from"]["id"] != world.bot_user["id"]:
        raise ApiError(400, "Bad Request: message can't be edited")
    return message


def _apply_edit(message: dict, changes: dict) -> dict:
    if all(message.get(k) == v for k, v in changes.items()):
        raise ApiError(400, NOT_MODIFIED)
    for key, value in changes.items():
        if value is None:
            message.pop(key, None)
        else:
            message[key] = value
    message["edit_date"] = int(time.time())
    return message


def edit_message_text(world: World, params: dict) -> dict | bool:
    """editMessageText; omitting reply_markup removes the keyboard, as on Telegram."""
    if params.get("inline_message_id"):
        return True
    message = _own_message(world, params)
    if "text" not in message:
        raise ApiError(400, "Bad Request: there is no text in the message to edit")
    text, entities = _text(params)
    changes = {"text": text, "entities": entities or None, "reply_markup": _reply_markup(params)}
    return _apply_edit(message, changes)


def edit_message_reply_markup(world: World, params: dict) -> dict | bool:
    """editMessageReplyMarkup."""
    if params.get("inline_message_id"):
        return True
    message = _own_message(world, params)
    return _apply_edit(message, {"reply_markup": _reply_markup(params)})


def bot_is_admin(world: World, chat: dict) -> bool:
    """Whether the bot is creator or administrator of the chat."""
    return world.status(chat["id"], world.bot_user["id"]) in ADMIN_STATUSES


def delete_message(world: World, params: dict) -> bool:
    """deleteMessage."""
    chat = world.find_chat(params.get("chat_id"))
    message = world.find_message(
        chat["id"], params.get("message_id"), "message to delete not found"
    )
    others = message["from"]["id"] != world.bot_user["id"]
    if others and chat["type"] != "private" and not bot_is_admin(world, chat):
        raise ApiError(400, "Bad Request: message can't be deleted")
    del world.messages[chat["id"]][message["message_id"]]
    return True


def pin_chat_message(world: World, params: dict) -> bool:
    """pinChatMessage; in groups the bot must be an admin, as on Telegram."""
    chat = world.writable_chat(params.get("chat_id"))
    message = world.find_message(chat["id"], params.get("message_id"), "message to pin not found")
    if chat["type"] != "private" and not bot_is_admin(world, chat):
        raise ApiError(400, "Bad Request: not enough rights to manage pinned messages in the chat")
    world.pinned.setdefault(chat["id"], []).append(message["message_id"])
    return True


def answer_callback_query(world: World, params: dict) -> bool:
    """answerCallbackQuery; a query can be answered once."""
    query_id = str(params.get("callback_query_id"))
    if query_id not in world.callbacks or query_id in world.answered_callbacks:
        raise ApiError(
            400,
            "Bad Request: query is too old and response timeout expired or query ID is invalid",
        )
    world.answered_callbacks[query_id] = dict(params)
    return True
