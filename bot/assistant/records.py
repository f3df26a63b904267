"""What the assistant keeps in the store: questions, votes, the chat registry, moderators.

Synchronous (SQLAlchemy sessions): the assistant calls these from a worker thread.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from pathlib import Path

from sqlalchemy import String, func, select
from sqlalchemy.orm import Mapped, mapped_column

from bot.answers import Answer
from bot.chat import MembershipChange
from bot.replies import Usage
from bot.store import Asker, Base, Chat, Feedback, Moderator, Question, Store, insert_or_keep


class InstallationSecret(Base):
    """A secret every replica of one installation must share (the voter salt)."""

    __tablename__ = "installation_secrets"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(128))


def load_salt(path: Path) -> bytes:
    """A per-installation secret that makes voter hashes unlinkable to user ids."""
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        path.parent.mkdir(parents=True, exist_ok=True)
        salt = secrets.token_bytes(32)
        path.write_text(salt.hex(), encoding="ascii")
        path.chmod(0o600)
        return salt


def shared_salt(store: Store, candidate: bytes) -> bytes:
    """The installation's voter salt from the database, `candidate` (this process's file)
    stored there first if none is: replicas must sign buttons and hash voters alike, or a
    press on another replica's button is refused and a member could vote once per replica.
    A database that had one process keeps that process's salt."""
    with store.session() as session:
        insert_or_keep(session, InstallationSecret, name="voter_salt", value=candidate.hex())
        return bytes.fromhex(session.get(InstallationSecret, "voter_salt").value)


def voter_hash(salt: bytes, question_id: int, platform: str, user_id: str) -> str:
    """Who voted, as far as one-vote-per-user needs: different for every question."""
    message = f"{question_id}:{platform}:{user_id}".encode()
    return hmac.new(salt, message, hashlib.sha256).hexdigest()[:32]


def record_question(
    store: Store, platform: str, chat_type: str, answer: Answer, asker: str = ""
) -> int:
    """Log a question and return its id; who asked only when it went unanswered (`Asker`:
    an officer's approved answer is sent to them later)."""
    best = answer.best
    with store.session() as session:
        row = Question(
            platform=platform,
            chat_type=chat_type,
            text=answer.question,
            answered=answer.answered,
            score=round(best.score, 4) if best else 0.0,
            source=best.chunk.chunk_id if best and answer.answered else "",
        )
        session.add(row)
        session.flush()
        if asker and not answer.answered:
            session.add(
                Asker(question_id=row.id, platform=platform, user_id=asker, chat_type=chat_type)
            )
        return row.id


def question_text(store: Store, question_id: int) -> str | None:
    with store.session() as session:
        row = session.get(Question, question_id)
        return row.text if row else None


def record_vote(store: Store, question_id: int, voter: str, helpful: bool) -> bool:
    """Store or change one voter's vote; False when the question does not exist."""
    with store.session() as session:
        if session.get(Question, question_id) is None:
            return False
        existing = session.scalars(
            select(Feedback).where(Feedback.question_id == question_id, Feedback.voter == voter)
        ).first()
        if existing is None:
            session.add(Feedback(question_id=question_id, voter=voter, helpful=helpful))
        else:
            existing.helpful = helpful
        return True


def _chat(session, platform: str, chat_id: str) -> Chat | None:
    return session.scalars(
        select(Chat).where(Chat.platform == platform, Chat.chat_id == chat_id)
    ).first()


def apply_membership(store: Store, change: MembershipChange) -> None:
    """Record that the bot joined, left or was promoted in a chat."""
    with store.session() as session:
        chat = _chat(session, change.platform, change.chat_id)
        if chat is None:
            chat = Chat(platform=change.platform, chat_id=change.chat_id)
            session.add(chat)
        chat.title = change.chat_title[:256] or chat.title
        chat.chat_type = change.chat_type
        chat.active = change.status != "left"
        chat.bot_is_admin = change.status == "admin"
        chat.inactive_reason = "bot bị xóa khỏi nhóm" if change.status == "left" else ""


def note_chat(store: Store, platform: str, chat_id: str, title: str, chat_type: str) -> None:
    """Register a chat seen in a message when no membership update told us about it."""
    with store.session() as session:
        chat = _chat(session, platform, chat_id)
        if chat is None:
            session.add(
                Chat(platform=platform, chat_id=chat_id, title=title[:256], chat_type=chat_type)
            )
        elif not chat.active:
            chat.active, chat.inactive_reason = True, ""


def mark_chat_gone(store: Store, platform: str, chat_id: str, reason: str) -> None:
    with store.session() as session:
        chat = _chat(session, platform, chat_id)
        if chat is not None and chat.active:
            chat.active, chat.inactive_reason = False, reason[:256]


def all_moderators(store: Store) -> dict[str, set[str]]:
    """platform -> user ids of its moderators."""
    found: dict[str, set[str]] = {}
    with store.session() as session:
        for platform, user_id in session.execute(select(Moderator.platform, Moderator.user_id)):
            found.setdefault(platform, set()).add(user_id)
    return found


def grant(
    store: Store,
    platform: str,
    user_id: str,
    granted_by: str,
    name: str = "",
    approver: bool = False,
) -> bool:
    """Make a user a moderator; False when they already were (their flags are updated)."""
    with store.session() as session:
        row = session.scalars(
            select(Moderator).where(Moderator.platform == platform, Moderator.user_id == user_id)
        ).first()
        if row is not None:
            row.approver = approver or row.approver
            return False
        session.add(
            Moderator(
                platform=platform,
                user_id=user_id,
                display_name=name[:256],
                approver=approver,
                granted_by=granted_by,
            )
        )
        return True


def revoke(store: Store, platform: str, user_id: str) -> bool:
    """Take the moderator role away; False when the user was not a moderator."""
    with store.session() as session:
        row = session.scalars(
            select(Moderator).where(Moderator.platform == platform, Moderator.user_id == user_id)
        ).first()
        if row is None:
            return False
        session.delete(row)
        return True


def counts(store: Store) -> Usage:
    with store.session() as session:
        questions = session.scalar(select(func.count()).select_from(Question)) or 0
        answered = session.scalar(select(func.count()).where(Question.answered.is_(True))) or 0
        helpful = session.scalar(select(func.count()).where(Feedback.helpful.is_(True))) or 0
        unhelpful = session.scalar(select(func.count()).where(Feedback.helpful.is_(False))) or 0
        groups = (
            session.scalar(
                select(func.count()).where(Chat.active.is_(True), Chat.chat_type == "group")
            )
            or 0
        )
        moderators = session.scalar(select(func.count()).select_from(Moderator)) or 0
    return Usage(questions, answered, helpful, unhelpful, groups, moderators)
