"""Broadcast tables: posts, their approvals, schedules, occurrences and deliveries.

A Schedule says when a Post goes out and to whom; each due time becomes one Occurrence
(unique per schedule and due time) holding the approved content as it was then, and one
Delivery per target chat (unique per occurrence and chat):

    pending -> sending (committed before the API call) -> sent | failed | uncertain
    sending -> uncertain (its owner's lease ran out: the engine died mid-call)
    pending -> cancelled (the post lost its approval, or the occurrence was cancelled)
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.clock import utcnow
from bot.store import Base, UTCDateTime

# Post.status
DRAFT, AWAITING, APPROVED, REJECTED = "draft", "awaiting", "approved", "rejected"
# Schedule.status
ACTIVE, PAUSED, CANCELLED, FINISHED = "active", "paused", "cancelled", "finished"
# Occurrence.status (also CANCELLED)
DELIVERING, DONE, MISSED, SKIPPED = "delivering", "done", "missed", "skipped"
# Delivery.status (also CANCELLED)
PENDING, SENDING, SENT, FAILED, UNCERTAIN = "pending", "sending", "sent", "failed", "uncertain"


class Post(Base):
    """What a moderator wants the groups to read: Telegram HTML, buttons, an attachment."""

    __tablename__ = "broadcast_posts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    buttons: Mapped[str] = mapped_column(Text, default="[]")  # JSON rows of {text, url}
    attachment_kind: Mapped[str] = mapped_column(String(16), default="")  # photo | document
    attachment_ref: Mapped[str] = mapped_column(String(512), default="")
    attachment_name: Mapped[str] = mapped_column(String(256), default="")
    source: Mapped[str] = mapped_column(String(512), default="")  # knowledge citation, file
    status: Mapped[str] = mapped_column(String(16), default=DRAFT)
    version: Mapped[int] = mapped_column(Integer, default=1)  # +1 on every edit
    author_platform: Mapped[str] = mapped_column(String(32), default="telegram")
    author_id: Mapped[str] = mapped_column(String(64), default="")
    author_chat: Mapped[str] = mapped_column(String(64), default="")  # where to tell the author
    author_name: Mapped[str] = mapped_column(String(256), default="")
    decided_by: Mapped[str] = mapped_column(String(64), default="")
    decision_note: Mapped[str] = mapped_column(String(512), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Approval(Base):
    """One step of a post's approval history (submitted, approved, rejected, auto)."""

    __tablename__ = "broadcast_approvals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("broadcast_posts.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(16))
    by_user: Mapped[str] = mapped_column(String(64), default="")
    note: Mapped[str] = mapped_column(String(512), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Schedule(Base):
    """When and where a post goes: a Recurrence (text form) or "now", and its targets."""

    __tablename__ = "broadcast_schedules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("broadcast_posts.id"), index=True)
    recurrence: Mapped[str] = mapped_column(String(256))  # Recurrence.to_text(), or "now"
    target_kind: Mapped[str] = mapped_column(String(16), default="all")  # all | tags | chats
    target_value: Mapped[str] = mapped_column(Text, default="")  # tags, or chats.id list
    silent: Mapped[bool] = mapped_column(Boolean, default=False)
    pin: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default=ACTIVE)
    # Due times up to here have been materialised (or deliberately skipped, e.g. paused).
    cursor: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_due: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, index=True)
    created_by: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Occurrence(Base):
    """One due time of a schedule, with the approved content frozen when it fell due."""

    __tablename__ = "broadcast_occurrences"
    __table_args__ = (UniqueConstraint("schedule_id", "due_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("broadcast_schedules.id"))
    post_id: Mapped[int] = mapped_column(ForeignKey("broadcast_posts.id"))
    post_version: Mapped[int] = mapped_column(Integer)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default=DELIVERING, index=True)
    note: Mapped[str] = mapped_column(String(512), default="")
    content: Mapped[str] = mapped_column(Text, default="")  # JSON, see posts.PostContent
    silent: Mapped[bool] = mapped_column(Boolean, default=False)
    pin: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Delivery(Base):
    """One occurrence to one chat; `sending` is committed before the platform is called."""

    __tablename__ = "broadcast_deliveries"
    __table_args__ = (
        UniqueConstraint("occurrence_id", "chat_ref"),
        Index("ix_broadcast_deliveries_status", "status", "occurrence_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    occurrence_id: Mapped[int] = mapped_column(ForeignKey("broadcast_occurrences.id"))
    chat_ref: Mapped[int] = mapped_column(ForeignKey("chats.id"))
    platform: Mapped[str] = mapped_column(String(32))
    chat_id: Mapped[str] = mapped_column(String(64))
    is_group: Mapped[bool] = mapped_column(Boolean, default=True)
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    message_id: Mapped[str] = mapped_column(String(64), default="")
    reason: Mapped[str] = mapped_column(String(512), default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Who holds a `sending` row and until when (renewed while the send is in flight): once
    # the lease has run out its owner is taken for dead and another engine records the row
    # `uncertain`. Empty/None on rows claimed before revision 0002.
    owner: Mapped[str] = mapped_column(String(64), default="", server_default="")
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
