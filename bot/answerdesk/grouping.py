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
    """One distinct wording of an unanswered question: how often and when it was asked.

    `texts` are the spellings it was typed in (case, spacing, end marks aside: one wording);
    `first_id` the id of its first question, which names it in a form."""

    text: str
    count: int
    last_asked: datetime
    first_id: int
    texts: tuple[str, ...] = ()


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
    def texts(self) -> tuple[str, ...]:
        """Every spelling of every wording: the questions an answer to the group covers."""
        return tuple(t for w in self.wordings for t in (w.texts or (w.text,)))

    @property
    def first_ids(self) -> tuple[int, ...]:
        return tuple(w.first_id for w in self.wordings)


def wording_key(text: str) -> str:
    """Two questions typed alike are one wording: case, spacing and end marks aside."""
    text = unicodedata.normalize("NFC", text).casefold()
    return " ".join(text.split()).rstrip(" ?.!…")


def wordings(rows: Iterable[tuple[str, int, datetime, int]]) -> list[Wording]:
    """(text, times asked, last asked, first id) per distinct text -> wordings, most asked
    first. A wording shows its latest spelling; ties are broken by the latest asked."""
    found: dict[str, list] = {}
    for text, count, last, first_id in rows:
        key = wording_key(text)
        seen = found.get(key)
        if seen is None:
            found[key] = [text, count, last, first_id, [text]]
            continue
        if last >= seen[2]:
            seen[0], seen[2] = text, last
        seen[1] += count
        seen[3] = min(seen[3], first_id)
        seen[4].append(text)
    made = [Wording(t, n, last, first, tuple(texts)) for t, n, last, first, texts in found.values()]
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
