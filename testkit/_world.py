"""What the stub's Telegram knows: users, chats, messages, files, the update queue."""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass

from testkit._limits import ApiError, FloodControl, too_many_requests

ANONYMOUS_ADMIN_ID = 1087968824
ADMIN_STATUSES = ("creator", "administrator")
# Update types Telegram leaves out unless allowed_updates names them.
OPT_IN_UPDATES = {"chat_member", "message_reaction", "message_reaction_count"}


@dataclass
class StoredFile:
    """Bytes behind a file_id, downloadable under file_path."""

    file_id: str
    file_unique_id: str
    content: bytes
    file_path: str
    file_name: str | None = None
    mime_type: str | None = None


@dataclass
class UploadedFile:
    """A file part of a multipart request."""

    filename: str | None
    content: bytes
    mime_type: str | None

    def summary(self) -> dict:
        """A JSON-friendly description (the bytes stay out of records)."""
        return {"filename": self.filename, "mime_type": self.mime_type, "size": len(self.content)}


def chat_type_for(chat_id: int) -> str:
    """Telegram's id conventions: users positive, supergroups -100…, basic groups negative."""
    if chat_id > 0:
        return "private"
    return "supergroup" if chat_id <= -1_000_000_000_000 else "group"


class World:
    """All state behind the Bot API methods; callers hold the stub's lock."""

    def __init__(self, bot_user: dict):
        self.bot_user = bot_user
        self.users: dict[int, dict] = {bot_user["id"]: bot_user}
        self.chats: dict[int, dict] = {}
        self.messages: dict[int, dict[int, dict]] = {}
        self._next_message_id: dict[int, int] = {}
        self.files: dict[str, StoredFile] = {}
        self._file_ids = itertools.count(1)
        self.updates: list[dict] = []
        self._update_ids = itertools.count(1)
        self.allowed_updates: list[str] | None = None
        self.statuses: dict[tuple[int, int], str] = {}
        self.seen: set[tuple[int, int]] = set()
        self.blocked: set[int] = set()
        self.delivered: list[dict] = []
        self.pinned: dict[int, list[int]] = {}
        self.callbacks: dict[str, dict] = {}
        self.answered_callbacks: dict[str, dict] = {}
        self._callback_ids = itertools.count(1)
        self.commands: dict[tuple[str, str], list[dict]] = {}
        self.webhook: dict = {"url": ""}
        self.flood: FloodControl | None = None

    # -- users and chats -------------------------------------------------------------

    def user(self, user_id: int, first_name: str | None = None, **extra: object) -> dict:
        """The User with this id, created (or updated with given names) on demand."""
        user = self.users.setdefault(
            user_id, {"id": user_id, "is_bot": False, "first_name": f"User {user_id}"}
        )
        if user_id == ANONYMOUS_ADMIN_ID:
            user.update(is_bot=True, first_name="Group", username="GroupAnonymousBot")
        if first_name:
            user["first_name"] = first_name
        user.update({k: v for k, v in extra.items() if v is not None})
        return user

    def chat(
        self,
        chat_id: int,
        chat_type: str | None = None,
        title: str | None = None,
        username: str | None = None,
    ) -> dict:
        """The Chat with this id as it appears inside messages, created on demand."""
        chat = self.chats.get(chat_id)
        if chat is None:
            kind = chat_type or chat_type_for(chat_id)
            chat = {"id": chat_id, "type": kind}
            if kind != "private":
                chat["title"] = title or f"Group {chat_id}"
            self.chats[chat_id] = chat
            self.messages[chat_id] = {}
        if chat["type"] == "private":
            # The private chat shows the user's current names.
            user = self.user(chat_id)
            for key in ("first_name", "last_name", "username"):
                if key in user:
                    chat[key] = user[key]
        elif title:
            chat["title"] = title
        if username:
            chat["username"] = username
        return chat

    def find_chat(self, chat_id: object) -> dict:
        """A known chat by id or @username, else Telegram's "chat not found"."""
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            for chat in self.chats.values():
                if chat.get("username", "").lower() == chat_id[1:].lower():
                    return chat
        elif isinstance(chat_id, int) and chat_id in self.chats:
            return self.chats[chat_id]
        elif isinstance(chat_id, str) and chat_id.lstrip("-").isdigit():
            return self.find_chat(int(chat_id))
        raise ApiError(400, "Bad Request: chat not found")

    def status(self, chat_id: int, user_id: int) -> str | None:
        """A member's status, or None when the user is unknown to the stub."""
        if (chat_id, user_id) in self.statuses:
            return self.statuses[(chat_id, user_id)]
        if user_id == self.bot_user["id"] or (chat_id, user_id) in self.seen:
            return "member"
        if chat_id == user_id:
            return "member"
        return "left" if user_id in self.users else None

    def writable_chat(self, chat_id: object) -> dict:
        """The chat a send goes to, or the 400/403 Telegram would answer."""
        chat = self.find_chat(chat_id)
        group = chat["type"] in ("group", "supergroup")
        noun = "supergroup" if chat["type"] == "supergroup" else "group"
        if chat["id"] in self.blocked:
            if group:
                raise ApiError(403, f"Forbidden: bot was kicked from the {noun} chat")
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        status = self.status(chat["id"], self.bot_user["id"])
        if group and status == "kicked":
            raise ApiError(403, f"Forbidden: bot was kicked from the {noun} chat")
        if group and status == "left":
            raise ApiError(403, f"Forbidden: bot is not a member of the {noun} chat")
        return chat

    def admit_send(self, chat: dict) -> None:
        """Apply flood limits to one outgoing message, raising the 429 when over."""
        if self.flood is None:
            return
        is_group = chat["type"] in ("group", "supergroup")
        retry_after = self.flood.admit(chat["id"], is_group, time.monotonic())
        if retry_after is not None:
            raise too_many_requests(retry_after)

    # -- messages, files, updates ----------------------------------------------------

    def new_message(self, chat: dict, sender: dict, **content: object) -> dict:
        """Store and return a new message in a chat, with the chat's next message_id."""
        message_id = self._next_message_id.get(chat["id"], 0) + 1
        self._next_message_id[chat["id"]] = message_id
        message = {
            "message_id": message_id,
            "from": dict(sender),
            "chat": dict(chat),
            "date": int(time.time()),
        }
        message.update({k: v for k, v in content.items() if v is not None})
        self.messages[chat["id"]][message_id] = message
        return message

    def find_message(self, chat_id: int, message_id: object, missing: str) -> dict:
        """A stored message, else a 400 with the given description."""
        try:
            return self.messages[chat_id][int(str(message_id))]
        except (KeyError, ValueError):
            raise ApiError(400, f"Bad Request: {missing}") from None

    def store_file(
        self, content: bytes, folder: str, file_name: str | None, mime_type: str | None
    ) -> StoredFile:
        """Keep bytes under a fresh file_id and file_path."""
        number = next(self._file_ids)
        suffix = file_name.rsplit(".", 1)[-1] if file_name and "." in file_name else "bin"
        stored = StoredFile(
            file_id=f"BQACAgIAAxkBAAI{number:06d}stub",
            file_unique_id=f"AgAD{number:06d}",
            content=content,
            file_path=f"{folder}/file_{number}.{suffix}",
            file_name=file_name,
            mime_type=mime_type,
        )
        self.files[stored.file_id] = stored
        return stored

    def file_by_path(self, file_path: str) -> StoredFile | None:
        """The stored file served under a download path."""
        return next((f for f in self.files.values() if f.file_path == file_path), None)

    def queue(self, update: dict) -> dict:
        """Append an update, numbering it unless it already has an id."""
        if "update_id" not in update:
            update = {"update_id": next(self._update_ids), **update}
        self.updates.append(update)
        return update

    def callback_query(self, chat_id: int, user: dict, message: dict, data: str) -> dict:
        """A CallbackQuery from a press on a button of a stored message."""
        query = {
            "id": f"{next(self._callback_ids)}{chat_id & 0xFFFF:05d}",
            "from": dict(user),
            "message": dict(message),
            "chat_instance": str(abs(hash(("chat_instance", chat_id)))),
            "data": data,
        }
        self.callbacks[query["id"]] = query
        return query

    def confirm_below(self, offset: int) -> None:
        """Forget updates below offset (a negative offset keeps the last -offset ones)."""
        if offset < 0:
            self.updates = self.updates[offset:]
        else:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]

    def deliverable(self, limit: int) -> list[dict]:
        """The next updates for getUpdates, dropping the types the bot did not ask for."""
        allowed = self.allowed_updates

        def wanted(update: dict) -> bool:
            kind = next(k for k in update if k != "update_id")
            return kind in allowed if allowed else kind not in OPT_IN_UPDATES

        self.updates = [u for u in self.updates if wanted(u)]
        return self.updates[:limit]


def chat_member(user: dict, status: str) -> dict:
    """A ChatMember object of the given status with every field PTB requires."""
    member: dict = {"status": status, "user": dict(user)}
    if status == "creator":
        member["is_anonymous"] = False
    elif status == "administrator":
        member.update(
            {
                key: True
                for key in (
                    "can_manage_chat can_delete_messages can_manage_video_chats "
                    "can_restrict_members can_change_info can_invite_users can_post_stories "
                    "can_edit_stories can_delete_stories can_pin_messages"
                ).split()
            },
            can_be_edited=False,
            is_anonymous=False,
            can_promote_members=False,
        )
    elif status == "restricted":
        member.update(
            {
                key: False
                for key in (
                    "can_change_info can_invite_users can_pin_messages can_send_messages "
                    "can_send_polls can_send_other_messages can_add_web_page_previews "
                    "can_manage_topics can_send_audios can_send_documents can_send_photos "
                    "can_send_videos can_send_video_notes can_send_voice_notes can_edit_tag "
                    "can_react_to_messages"
                ).split()
            },
            is_member=True,
            until_date=0,
        )
    elif status == "kicked":
        member["until_date"] = 0
    return member
