"""The answer desk's tables: an officer's answer and the questions it answers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.clock import utcnow
from bot.store import Base, UTCDateTime

AWAITING = "awaiting"  # written by an officer, waiting for an approver
APPROVED = "approved"  # approved; its document not yet written
PUBLISHED = "published"  # its hoi-dap document is in the knowledge folder
REJECTED = "rejected"
STATUS_VI = {
    AWAITING: "chờ duyệt",
    APPROVED: "đã duyệt, đang đưa vào kho tri thức",
    PUBLISHED: "đã đưa vào kho tri thức",
    REJECTED: "bị từ chối",
}


class OfficerAnswer(Base):
    """An officer's answer to a group of similar unanswered questions."""

    __tablename__ = "officer_answers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    question: Mapped[str] = mapped_column(Text)  # the group's most asked wording: the title
    text: Mapped[str] = mapped_column(Text)  # plain text, as the officer wrote it
    status: Mapped[str] = mapped_column(String(16), default=AWAITING, index=True)
    author_platform: Mapped[str] = mapped_column(String(32))
    author_id: Mapped[str] = mapped_column(String(64))
    author_name: Mapped[str] = mapped_column(String(256), default="")
    author_chat: Mapped[str] = mapped_column(String(64), default="")  # told of the decision
    decided_by: Mapped[str] = mapped_column(String(64), default="")
    decided_name: Mapped[str] = mapped_column(String(256), default="")
    note: Mapped[str] = mapped_column(String(512), default="")  # a rejection's reason
    document: Mapped[str] = mapped_column(String(512), default="")  # path in knowledge/
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class AnsweredQuestion(Base):
    """A question (bot.store.Question) an officer's answer covers; one answer per question."""

    __tablename__ = "officer_answer_questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    answer_id: Mapped[int] = mapped_column(Integer, index=True)
    question_id: Mapped[int] = mapped_column(Integer, unique=True)
