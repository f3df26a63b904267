"""The answer desk in the store: unanswered questions, officers' answers, their approval.

Synchronous (SQLAlchemy sessions): the service calls these through `await store.run(…)`.
A question is "covered" once an answer awaiting approval or approved names it; a rejected
answer lets its questions go back to the list. Approval follows the posts' rule
(bot.broadcast.approval): admins and moderators flagged as approvers decide, a moderator
never approves their own answer, and a decision is a compare-and-set on the status, so
two approvers pressing at once decide once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from bot.answerdesk import AnswerDeskError
from bot.answerdesk.grouping import wording_key
from bot.answerdesk.models import (
    APPROVED,
    AWAITING,
    PUBLISHED,
    REJECTED,
    STATUS_VI,
    AnsweredQuestion,
    OfficerAnswer,
)
from bot.broadcast.approval import Actor, is_approver
from bot.clock import utcnow
from bot.commands import Role
from bot.store import Asker, Question, Store

MAX_ANSWER_CHARS = 3000  # the answer, the question and the source fit one Telegram message


@dataclass(frozen=True)
class AnswerView:
    """An officer's answer as the chat and the console show it."""

    id: int
    question: str
    text: str
    status: str
    author_platform: str
    author_id: str
    author_name: str
    author_chat: str
    decided_by: str
    decided_name: str
    note: str
    document: str
    created_at: datetime
    decided_at: datetime | None
    questions: int  # how many asked questions it covers

    @property
    def status_vi(self) -> str:
        return STATUS_VI.get(self.status, self.status)

    @property
    def author(self) -> str:
        return self.author_name or self.author_id

    @property
    def approver(self) -> str:
        return self.decided_name or self.decided_by


def _view(session, row: OfficerAnswer) -> AnswerView:
    covered = session.scalar(select(func.count()).where(AnsweredQuestion.answer_id == row.id))
    return AnswerView(
        row.id,
        row.question,
        row.text,
        row.status,
        row.author_platform,
        row.author_id,
        row.author_name,
        row.author_chat,
        row.decided_by,
        row.decided_name,
        row.note,
        row.document,
        row.created_at,
        row.decided_at,
        int(covered or 0),
    )


def _covered():
    return select(AnsweredQuestion.question_id)


def unanswered_texts(store: Store) -> list[tuple[str, int, datetime, int]]:
    """(text, times asked, last asked, first id) of each distinct unanswered question no
    answer covers yet, counted by the database (10,000 questions: one pass, few rows)."""
    with store.session() as session:
        rows = session.execute(
            select(Question.text, func.count(), func.max(Question.asked_at), func.min(Question.id))
            .where(Question.answered.is_(False), Question.id.not_in(_covered()))
            .group_by(Question.text)
        ).all()
    return [(text, int(n), last, int(first)) for text, n, last, first in rows]


def check_text(text: str) -> str:
    """The answer as it will be stored, or AnswerDeskError saying what is wrong."""
    text = text.strip()
    if not text:
        raise AnswerDeskError("Câu trả lời đang trống.")
    if len(text) > MAX_ANSWER_CHARS:
        raise AnswerDeskError(
            f"Câu trả lời dài {len(text)} ký tự; tối đa {MAX_ANSWER_CHARS} ký tự."
        )
    return text


def submit(store: Store, texts: Sequence[str], question: str, text: str, who: Actor) -> AnswerView:
    """Store an officer's answer to the unanswered questions asked in these words (not yet
    covered by another answer), waiting for an approver."""
    text = check_text(text)
    try:
        with store.session() as session:
            free = session.scalars(
                select(Question.id).where(
                    Question.text.in_(set(texts)),
                    Question.answered.is_(False),
                    Question.id.not_in(_covered()),
                )
            ).all()
            if not free:
                raise AnswerDeskError(
                    "Nhóm câu hỏi này đã có câu trả lời (chờ duyệt hoặc đã duyệt)."
                )
            row = OfficerAnswer(
                question=question,
                text=text,
                status=AWAITING,
                author_platform=who.platform,
                author_id=who.user_id,
                author_name=who.name,
                author_chat=who.chat_id,
            )
            session.add(row)
            session.flush()
            session.add_all(AnsweredQuestion(answer_id=row.id, question_id=i) for i in free)
            session.flush()
            return _view(session, row)
    except IntegrityError as exc:  # another officer answered the same questions just now
        raise AnswerDeskError("Nhóm câu hỏi này vừa được người khác trả lời.") from exc


def get(store: Store, answer_id: int) -> AnswerView:
    with store.session() as session:
        row = session.get(OfficerAnswer, answer_id)
        if row is None:
            raise AnswerDeskError(f"Không có câu trả lời số {answer_id}.")
        return _view(session, row)


def listed(store: Store, statuses: Sequence[str], limit: int = 50) -> list[AnswerView]:
    """Answers in these states, newest first."""
    with store.session() as session:
        rows = session.scalars(
            select(OfficerAnswer)
            .where(OfficerAnswer.status.in_(statuses))
            .order_by(OfficerAnswer.id.desc())
            .limit(limit)
        ).all()
        return [_view(session, row) for row in rows]


def decide(store: Store, answer_id: int, who: Actor, approve: bool, note: str = "") -> AnswerView:
    """Approve or reject an answer awaiting approval; AnswerDeskError says why not."""
    with store.session() as session:
        row = session.get(OfficerAnswer, answer_id)
        if row is None:
            raise AnswerDeskError(f"Không có câu trả lời số {answer_id}.")
        if not is_approver(session, who):
            raise AnswerDeskError("Bạn không có quyền duyệt câu trả lời.")
        if row.status != AWAITING:
            raise AnswerDeskError(
                f"Câu trả lời {answer_id} không ở trạng thái chờ duyệt "
                f"({STATUS_VI.get(row.status, row.status)})."
            )
        own = (who.platform, who.user_id) == (row.author_platform, row.author_id)
        if approve and own and who.role < Role.ADMIN:
            raise AnswerDeskError("Người điều hành không tự duyệt câu trả lời của mình.")
        changed = session.execute(
            update(OfficerAnswer)
            .where(OfficerAnswer.id == answer_id, OfficerAnswer.status == AWAITING)
            .values(
                status=APPROVED if approve else REJECTED,
                decided_by=who.user_id,
                decided_name=who.name[:256],
                note=note[:512],
                decided_at=utcnow(),
            )
        ).rowcount  # type: ignore[attr-defined]
        if not changed:  # another approver decided between our read and this write
            raise AnswerDeskError(f"Câu trả lời {answer_id} vừa được người khác quyết định.")
        if approve:
            _cover_same_wordings(session, answer_id)
        else:  # its questions go back to the list, for another answer
            session.execute(delete(AnsweredQuestion).where(AnsweredQuestion.answer_id == answer_id))
        session.expire(row)
        return _view(session, session.get(OfficerAnswer, answer_id))


def _cover_same_wordings(session, answer_id: int) -> None:
    """Members who asked the same thing, in the same words, while the answer waited: they
    are told too."""
    texts = session.scalars(
        select(Question.text).where(
            Question.id.in_(
                select(AnsweredQuestion.question_id).where(AnsweredQuestion.answer_id == answer_id)
            )
        )
    )
    keys = {wording_key(t) for t in texts}
    late = session.execute(
        select(Question.id, Question.text).where(
            Question.answered.is_(False), Question.id.not_in(_covered())
        )
    ).all()
    session.add_all(
        AnsweredQuestion(answer_id=answer_id, question_id=i)
        for i, text in late
        if wording_key(text) in keys
    )


def mark_published(store: Store, answer_id: int, document: str) -> None:
    """The answer's document is in the knowledge folder."""
    with store.session() as session:
        session.execute(
            update(OfficerAnswer)
            .where(OfficerAnswer.id == answer_id, OfficerAnswer.status == APPROVED)
            .values(status=PUBLISHED, document=document)
        )


def questions_of(store: Store, answer_id: int) -> list[str]:
    """The wordings an answer covers (distinct, as asked)."""
    with store.session() as session:
        texts = session.scalars(
            select(Question.text)
            .join(AnsweredQuestion, AnsweredQuestion.question_id == Question.id)
            .where(AnsweredQuestion.answer_id == answer_id)
            .order_by(Question.id)
        ).all()
    seen: dict[str, str] = {}
    for text in texts:
        seen.setdefault(wording_key(text), text)
    return list(seen.values())


def still_to_tell(store: Store) -> list[int]:
    """Published answers some of whose askers were not told yet (oldest first)."""
    with store.session() as session:
        return list(
            session.scalars(
                select(OfficerAnswer.id)
                .join(AnsweredQuestion, AnsweredQuestion.answer_id == OfficerAnswer.id)
                .join(Asker, Asker.question_id == AnsweredQuestion.question_id)
                .where(OfficerAnswer.status == PUBLISHED, Asker.status == "waiting")
                .distinct()
                .order_by(OfficerAnswer.id)
            )
        )
