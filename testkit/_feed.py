"""Updates a test puts in front of the bot: messages, button presses, files, membership."""

from __future__ import annotations

import time
from typing import Any

from bot.markup import command_and_mention_entities
from testkit._core import StubCore
from testkit._world import chat_member

MEMBER_STATUSES = ("creator", "administrator", "member", "restricted", "left", "kicked")


class UpdateFeed(StubCore):
    """push_* helpers: each queues one Update for getUpdates and returns it."""

    def push_update(self, update: dict) -> dict:
        """Queue a raw Update dict (update_id is assigned when missing); return it."""
        with self._lock:
            return self._queue(update)

    def add_chat(
        self,
        chat_id: int,
        chat_type: str | None = None,
        title: str | None = None,
        username: str | None = None,
    ) -> dict:
        """Make a chat known (type from the id's sign when not given); return it."""
        with self._lock:
            return dict(self._world.chat(chat_id, chat_type, title, username))

    def _sender(
        self, chat_id: int, user_id: int, chat_type: str | None, title: str | None, **names: Any
    ) -> tuple[dict, dict]:
        world = self._world
        user = world.user(user_id, **names)
        chat = world.chat(chat_id, chat_type, title)
        world.seen.add((chat_id, user_id))
        return user, chat

    def _stored(self, chat_id: int, message_id: int) -> dict:
        message = self._world.messages.get(chat_id, {}).get(message_id)
        if message is None:
            raise KeyError(f"no message {message_id} in chat {chat_id}")
        return message

    def push_message(
        self,
        chat_id: int,
        user_id: int,
        text: str,
        *,
        chat_type: str | None = None,
        title: str | None = None,
        username: str | None = None,
        first_name: str | None = None,
        last_name: str | None = None,
        reply_to: int | None = None,
        sender_chat: int | dict | None = None,
        entities: list[dict] | None = None,
    ) -> dict:
        """Queue a text message from a user; /commands and @mentions get entities."""
        with self._lock:
            user, chat = self._sender(
                chat_id,
                user_id,
                chat_type,
                title,
                first_name=first_name,
                username=username,
                last_name=last_name,
            )
            if entities is None:
                entities = command_and_mention_entities(text)
            content: dict = {"text": text, "entities": entities or None}
            if reply_to is not None:
                original = self._stored(chat_id, reply_to)
                content["reply_to_message"] = {
                    k: v for k, v in original.items() if k != "reply_to_message"
                }
            if isinstance(sender_chat, int):
                sender_chat = self._world.chat(sender_chat)
            content["sender_chat"] = dict(sender_chat) if sender_chat else None
            return self._queue({"message": self._world.new_message(chat, user, **content)})

    def push_callback(self, chat_id: int, user_id: int, message_id: int, data: str) -> dict:
        """Queue a press on an inline button of a stored message."""
        with self._lock:
            user, _ = self._sender(chat_id, user_id, None, None)
            message = self._stored(chat_id, message_id)
            query = self._world.callback_query(chat_id, user, message, data)
            return self._queue({"callback_query": query})

    def push_document(
        self,
        chat_id: int,
        user_id: int,
        file_name: str,
        content: bytes,
        mime_type: str = "application/octet-stream",
        *,
        caption: str | None = None,
        chat_type: str | None = None,
    ) -> dict:
        """Queue a document message; its bytes are served through getFile + download."""
        with self._lock:
            user, chat = self._sender(chat_id, user_id, chat_type, None)
            stored = self._world.store_file(content, "documents", file_name, mime_type)
            document = {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "file_name": file_name,
                "mime_type": mime_type,
                "file_size": len(content),
            }
            message = self._captioned(chat, user, caption, document=document)
            return self._queue({"message": message})

    def _captioned(self, chat: dict, user: dict, caption: str | None, **media: object) -> dict:
        """A media message whose caption gets /command and @mention entities, as Telegram's."""
        entities = command_and_mention_entities(caption) if caption else None
        return self._world.new_message(
            chat, user, caption=caption, caption_entities=entities, **media
        )

    def push_photo(
        self, chat_id: int, user_id: int, content: bytes, *, caption: str | None = None
    ) -> dict:
        """Queue a photo message (two sizes, as Telegram sends); bytes served like documents."""
        with self._lock:
            user, chat = self._sender(chat_id, user_id, None, None)
            sizes = []
            for width in (90, 1280):
                stored = self._world.store_file(content, "photos", "photo.jpg", "image/jpeg")
                sizes.append(
                    {
                        "file_id": stored.file_id,
                        "file_unique_id": stored.file_unique_id,
                        "width": width,
                        "height": width * 3 // 4,
                        "file_size": len(content),
                    }
                )
            message = self._captioned(chat, user, caption, photo=sizes)
            return self._queue({"message": message})

    def push_sticker(
        self, chat_id: int, user_id: int, emoji: str = "👍", set_name: str = "stub_stickers"
    ) -> dict:
        """Queue a sticker message."""
        with self._lock:
            user, chat = self._sender(chat_id, user_id, None, None)
            stored = self._world.store_file(b"RIFF\0\0\0\0WEBP", "stickers", "s.webp", "image/webp")
            sticker = {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "emoji": emoji,
                "set_name": set_name,
                "file_size": len(stored.content),
            }
            return self._queue({"message": self._world.new_message(chat, user, sticker=sticker)})

    def push_my_chat_member(
        self,
        chat_id: int,
        title: str | None = None,
        old_status: str = "left",
        new_status: str = "member",
        by_user: int = 1,
        *,
        chat_type: str | None = None,
    ) -> dict:
        """Queue the bot being added to / removed from / promoted in a chat, and apply it."""
        with self._lock:
            world = self._world
            user, chat = self._sender(chat_id, by_user, chat_type, title)
            world.statuses[(chat_id, world.bot_user["id"])] = new_status
            change = {
                "chat": dict(chat),
                "from": dict(user),
                "date": int(time.time()),
                "old_chat_member": chat_member(world.bot_user, old_status),
                "new_chat_member": chat_member(world.bot_user, new_status),
            }
            return self._queue({"my_chat_member": change})

    def set_chat_member_status(self, chat_id: int, user_id: int, status: str) -> None:
        """Set what getChatMember / getChatAdministrators say (user_id may be the bot)."""
        if status not in MEMBER_STATUSES:
            raise ValueError(f"status must be one of {MEMBER_STATUSES}")
        with self._lock:
            self._world.user(user_id)
            self._world.chat(chat_id)
            self._world.statuses[(chat_id, user_id)] = status
            self._notify()
