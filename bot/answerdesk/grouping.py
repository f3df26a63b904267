"""Grouping unanswered questions by similarity: pure functions over texts and vectors.

Members ask one thing in many wordings ("Đảng viên đi nước ngoài cần xin phép ai?",
"Thủ tục để đảng viên ra nước ngoài là gì?"). An officer answers the thing once, so the
desk lists groups, most asked first. A wording joins the group whose first (most asked)
wording is closest, when the cosine of their unit vectors reaches the threshold; otherwise
it starts a group. Leader-based rather than centroid-based: the result does not drift with
the order rows arrive in, and an officer can see why two wordings are together.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

# multilingual-e5-small, measured on wordings of one question and of different ones
# (tests/answerdesk/test_grouping_real_model.py): one question 0.94-0.98, different
# questions on related matters up to 0.90, unrelated ones 0.75-0.82.
SIMILAR = 0.92


@dataclass(frozen=True)
class Wording:
    """One distinct wording of an unanswered question: how often and when it was asked."""

    text: str
    question_ids: tuple[int, ...]
    last_asked: datetime

    @property
    def count(self) -> int:
        return len(self.question_ids)


@dataclass(frozen=True)
class QuestionGroup:
    """Similar wordings, the most asked first (its text names the group)."""

    wordings: tuple[Wording, ...]

    @property
    def text(self) -> str:
        return self.wordings[0].text

    @property
    def count(self) -> int:
        return sum(w.count for w in self.wordings)

    @property
    def last_asked(self) -> datetime:
        return max(w.last_asked for w in self.wordings)

    @property
    def question_ids(self) -> tuple[int, ...]:
        return tuple(i for w in self.wordings for i in w.question_ids)


def wording_key(text: str) -> str:
    """Two questions typed alike are one wording: case, spacing and end marks aside."""
    text = unicodedata.normalize("NFC", text).casefold()
    return " ".join(text.split()).rstrip(" ?.!…")


def wordings(rows: Iterable[tuple[int, str, datetime]]) -> list[Wording]:
    """(question id, text, asked at) rows -> distinct wordings, most asked first.

    A wording's text is its latest spelling; ties are broken by the latest asked."""
    found: dict[str, tuple[list[int], str, datetime]] = {}
    for question_id, text, asked_at in rows:
        key = wording_key(text)
        ids, shown, last = found.get(key, ([], text, asked_at))
        ids.append(question_id)
        if asked_at >= last:
            shown, last = text, asked_at
        found[key] = (ids, shown, last)
    made = [Wording(shown, tuple(sorted(ids)), last) for ids, shown, last in found.values()]
    return sorted(made, key=_rank)


def group_similar(
    items: Sequence[Wording], vectors: np.ndarray, threshold: float = SIMILAR
) -> list[QuestionGroup]:
    """Wordings (with their unit vectors, row for row) grouped; groups most asked first."""
    if len(items) != len(vectors):
        raise ValueError("one vector per wording")
    order = sorted(range(len(items)), key=lambda i: _rank(items[i]))
    leaders: list[int] = []
    members: dict[int, list[int]] = {}
    for i in order:
        if leaders:
            scores = vectors[leaders] @ vectors[i]
            best = int(np.argmax(scores))
            if float(scores[best]) >= threshold:
                members[leaders[best]].append(i)
                continue
        leaders.append(i)
        members[i] = [i]
    groups = [QuestionGroup(tuple(items[k] for k in members[lead])) for lead in leaders]
    return sorted(groups, key=lambda g: (-g.count, -g.last_asked.timestamp()))


def _rank(item: Wording) -> tuple[int, float]:
    return (-item.count, -item.last_asked.timestamp())
