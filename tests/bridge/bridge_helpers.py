"""Constants and small helpers shared by the bridge tests."""

from __future__ import annotations

from sqlalchemy import select

SECRET = "mocha-test-secret-0123456789"
OTHER_SECRET = "zalo-test-secret-9876543210"
ADMIN = "84900000001"
MODERATOR = "84900000002"
MEMBER = "84900000003"
QUESTION = "Ngày truyền thống Công an nhân dân là ngày nào?"


def chats(store, platform: str = "mocha") -> dict:
    from bot.store import Chat

    with store.session() as session:
        rows = session.scalars(select(Chat).where(Chat.platform == platform)).all()
        return {c.chat_id: (c.title, c.active) for c in rows}
