"""What the Questions page counts: questions per day, the answered share, votes on answers.

Synchronous (called through `await store.run(…)`). Days are local days (the bot's time
zone); the window is short (two weeks), so the rows are binned here rather than with a
dialect's date functions, the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from sqlalchemy import case, func, select

from bot.answerdesk.desk import AnswerView
from bot.answerdesk.documents import FOLDER
from bot.answerdesk.models import AnsweredQuestion
from bot.store import Asker, Feedback, Question, Store

DAYS = 14


@dataclass(frozen=True)
class Day:
    day: date
    asked: int
    answered: int

    @property
    def share(self) -> float:
        return self.answered / self.asked if self.asked else 0.0


@dataclass(frozen=True)
class Votes:
    helpful: int = 0
    unhelpful: int = 0


@dataclass(frozen=True)
class Told:
    """How an answer's askers were told."""

    sent: int = 0
    waiting: int = 0
    unreachable: int = 0
    uncertain: int = 0


def per_day(store: Store, zone: tzinfo, now: datetime, days: int = DAYS) -> list[Day]:
    """The last `days` local days, oldest first, each with its questions and answers.

    The database counts (each question's day found by comparing with the day bounds,
    computed here in the bot's zone): the same SQL on SQLite and PostgreSQL, and no row
    of the window brought back."""
    today = now.astimezone(zone).date()
    first = today - timedelta(days=days - 1)
    bounds = [
        datetime.combine(first + timedelta(days=i), datetime.min.time(), zone)
        for i in range(days + 1)
    ]
    day = case(
        *((Question.asked_at < end, i) for i, end in enumerate(bounds[1:])), else_=days
    ).label("day")
    with store.session() as session:
        rows = session.execute(
            select(day, Question.answered, func.count())
            .where(Question.asked_at >= bounds[0], Question.asked_at < bounds[-1])
            .group_by(day, Question.answered)
        ).all()
    asked, answered = [0] * days, [0] * days
    for i, was_answered, n in rows:
        if 0 <= i < days:
            asked[i] += int(n)
            answered[i] += int(n) if was_answered else 0
    return [Day(first + timedelta(days=i), asked[i], answered[i]) for i in range(days)]


def votes_on(store: Store, documents: Sequence[str]) -> dict[str, Votes]:
    """👍/👎 on answers quoted from each hoi-dap document (by its path in knowledge/)."""
    wanted = {d for d in documents if d}
    if not wanted:
        return {}
    found: dict[str, list[int]] = {}
    with store.session() as session:
        rows = session.execute(
            select(
                Question.source,
                func.sum(case((Feedback.helpful.is_(True), 1), else_=0)),
                func.sum(case((Feedback.helpful.is_(False), 1), else_=0)),
            )
            .join(Question, Question.id == Feedback.question_id)
            .where(Question.source.startswith(f"{FOLDER}/", autoescape=True))
            .group_by(Question.source)
        ).all()
    for source, helpful, unhelpful in rows:  # a source is "<document>#<passage>"
        document = source.rpartition("#")[0]
        if document in wanted:
            counted = found.setdefault(document, [0, 0])
            counted[0] += int(helpful or 0)
            counted[1] += int(unhelpful or 0)
    return {d: Votes(*counted) for d, counted in found.items()}


def told(store: Store, answers: Sequence[AnswerView]) -> dict[int, Told]:
    """How each answer's askers were told."""
    ids = [view.id for view in answers]
    counts: dict[int, dict[str, int]] = {i: {} for i in ids}
    with store.session() as session:
        rows = session.execute(
            select(AnsweredQuestion.answer_id, Asker.status, func.count())
            .join(AnsweredQuestion, AnsweredQuestion.question_id == Asker.question_id)
            .where(AnsweredQuestion.answer_id.in_(ids))
            .group_by(AnsweredQuestion.answer_id, Asker.status)
        ).all()
    for answer_id, status, n in rows:
        counts[answer_id][status] = int(n)
    return {
        i: Told(
            sent=c.get("sent", 0),
            waiting=c.get("waiting", 0) + c.get("sending", 0),
            unreachable=c.get("unreachable", 0),
            uncertain=c.get("uncertain", 0),
        )
        for i, c in counts.items()
    }
