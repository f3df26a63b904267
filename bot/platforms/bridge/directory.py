"""Where a bridge member's private chat is: the connector's chat id, learnt from messages.

Telegram's private chat with a user has the user's id; a connector may key private chats
otherwise (docs/bridge.md, "Writing to a member privately"). Every private message a
connector posts tells us the chat; the bot writes there to the member (approval requests
to approvers, for one) and, as long as none has been seen, to the user id itself, with
`user_id` set on the delivery so the connector can route by it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, UniqueConstraint, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from bot.clock import utcnow
from bot.store import Base, Store, UTCDateTime


class PrivateChat(Base):
    """The private chat a bridge user last wrote to the bot from."""

    __tablename__ = "bridge_private_chats"
    __table_args__ = (UniqueConstraint("platform", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[str] = mapped_column(String(64))
    chat_id: Mapped[str] = mapped_column(String(64))
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PrivateChats:
    """The directory over the store; synchronous (call it in a thread)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def note(self, platform: str, user_id: str, chat_id: str) -> None:
        now = utcnow()
        try:
            self._note(platform, user_id, chat_id, now)
        except IntegrityError:
            # two first messages of one member handled at once: both saw no row, one inserted
            self._note(platform, user_id, chat_id, now)

    def _note(self, platform: str, user_id: str, chat_id: str, now: datetime) -> None:
        with self.store.session() as session:
            row = session.scalar(
                select(PrivateChat).where(
                    PrivateChat.platform == platform, PrivateChat.user_id == user_id
                )
            )
            if row is None:
                session.add(
                    PrivateChat(platform=platform, user_id=user_id, chat_id=chat_id, seen_at=now)
                )
            elif row.chat_id != chat_id:
                row.chat_id, row.seen_at = chat_id, now

    def chat_of(self, platform: str, user_id: str) -> str | None:
        with self.store.session() as session:
            return session.scalar(
                select(PrivateChat.chat_id).where(
                    PrivateChat.platform == platform, PrivateChat.user_id == user_id
                )
            )
