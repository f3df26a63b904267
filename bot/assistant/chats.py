"""The chats the bot is in (the registry broadcasts target), kept current from events."""

from __future__ import annotations

import logging

from bot.assistant import records
from bot.chat import IncomingMessage, MembershipChange
from bot.store import Store

log = logging.getLogger(__name__)


class ChatRegistry:
    """Notes groups the bot hears from, joins, leaves, or can no longer reach."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._known: set[tuple[str, str]] = set()  # written once per chat and process

    async def heard_in_group(self, msg: IncomingMessage) -> None:
        key = (msg.platform, msg.chat_id)
        if key in self._known:
            return
        self._known.add(key)
        await self.store.run(
            records.note_chat, self.store, msg.platform, msg.chat_id, msg.chat_title, "group"
        )

    async def membership(self, change: MembershipChange) -> None:
        """The bot joined, left or was promoted in a chat."""
        await self.store.run(records.apply_membership, self.store, change)
        key = (change.platform, change.chat_id)
        if change.status == "left":
            self._known.discard(key)
        else:
            self._known.add(key)
        log.info("chat %s %s: %s", change.platform, change.chat_id, change.status)

    async def gone(self, platform: str, chat_id: str, reason: str) -> None:
        """A send found the chat gone (bot removed, chat deleted): stop targeting it."""
        self._known.discard((platform, chat_id))
        await self.store.run(records.mark_chat_gone, self.store, platform, chat_id, reason)
