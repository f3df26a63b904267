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
    """The last `days` local days, oldest first, each with its questions and answers."""
    today = now.astimezone(zone).date()
    first = today - timedelta(days=days - 1)
    since = datetime.combine(first, datetime.min.time(), zone)
    with store.session() as session:
        rows = session.execute(
            select(Question.asked_at, Question.answered).where(Question.asked_at >= since)
        ).all()
    asked = {first + timedelta(days=i): [0, 0] for i in range(days)}
    for at, answered in rows:
        slot = asked.get(at.astimezone(zone).date())
        if slot is not None:
            slot[0] += 1
            slot[1] += bool(answered)
    return [Day(day, n, ok) for day, (n, ok) in asked.items()]


def votes_on(store: Store, documents: Sequence[str]) -> dict[str, Votes]:
    """👍/👎 on answers quoted from each hoi-dap document (by its path in knowledge/)."""
    found: dict[str, Votes] = {}
    with store.session() as session:
        for document in documents:
            if not document:
                continue
            helpful, unhelpful = session.execute(
                select(
                    func.coalesce(func.sum(case((Feedback.helpful.is_(True), 1), else_=0)), 0),
                    func.coalesce(func.sum(case((Feedback.helpful.is_(False), 1), else_=0)), 0),
                )
                .join(Question, Question.id == Feedback.question_id)
                .where(Question.source.startswith(f"{document}#", autoescape=True))
            ).one()
            found[document] = Votes(int(helpful), int(unhelpful))
    return found


def told(store: Store, answers: Sequence[AnswerView]) -> dict[int, Told]:
    """How each answer's askers were told."""
    out: dict[int, Told] = {}
    with store.session() as session:
        for view in answers:
            rows = session.execute(
                select(Asker.status, func.count())
                .join(AnsweredQuestion, AnsweredQuestion.question_id == Asker.question_id)
                .where(AnsweredQuestion.answer_id == view.id)
                .group_by(Asker.status)
            ).all()
            counts = {status: int(n) for status, n in rows}
            out[view.id] = Told(
                sent=counts.get("sent", 0),
                waiting=counts.get("waiting", 0) + counts.get("sending", 0),
                unreachable=counts.get("unreachable", 0),
                uncertain=counts.get("uncertain", 0),
            )
    return out
