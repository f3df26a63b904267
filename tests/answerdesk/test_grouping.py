"""Grouping wordings by similarity: pure functions over hand-made unit vectors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from bot.answerdesk.grouping import Wording, group_similar, wording_key, wordings

T0 = datetime(2026, 12, 1, 8, tzinfo=UTC)


def unit(*xs: float) -> np.ndarray:
    v = np.array(xs, dtype=np.float32)
    return v / np.linalg.norm(v)


def test_wordings_collapse_case_spacing_and_end_marks_and_keep_the_latest_spelling():
    rows = [  # (text, times asked, last asked, first id), as the database counts them
        ("Đảng phí  bao nhiêu?", 1, T0, 4),
        ("đảng phí bao nhiêu", 2, T0 + timedelta(hours=1), 1),
        ("Chi bộ họp khi nào?", 2, T0 + timedelta(hours=2), 3),
    ]
    made = wordings(rows)
    assert [(w.text, w.count, w.first_id, w.texts) for w in made] == [
        ("đảng phí bao nhiêu", 3, 1, ("Đảng phí  bao nhiêu?", "đảng phí bao nhiêu")),
        ("Chi bộ họp khi nào?", 2, 3, ("Chi bộ họp khi nào?",)),
    ]
    assert wording_key("Đảng phí bao nhiêu?") == wording_key("đảng  phí bao nhiêu")
    assert wording_key("Đảng phí") != wording_key("Dang phi")  # diacritics mean something


def test_similar_wordings_join_the_most_asked_and_groups_come_most_asked_first():
    items = [
        Wording("a1", 1, T0, 1),
        Wording("b", 2, T0, 2),
        Wording("a2", 2, T0 + timedelta(minutes=1), 4),
        Wording("a3", 1, T0 + timedelta(minutes=2), 6),
        Wording("c", 1, T0 + timedelta(minutes=3), 7),
    ]
    vectors = np.stack(
        [unit(1, 0.1, 0), unit(0, 1, 0), unit(1, 0, 0), unit(1, 0, 0.2), unit(0, 0, 1)]
    )
    groups = group_similar(items, vectors, threshold=0.95)
    assert [[w.text for w in g.wordings] for g in groups] == [["a2", "a3", "a1"], ["b"], ["c"]]
    first = groups[0]
    assert first.text == "a2" and first.count == 4 and first.first_ids == (4, 6, 1)
    assert first.last_asked == T0 + timedelta(minutes=2) and first.texts == ("a2", "a3", "a1")
    # ties in count: the latest asked first
    assert [g.text for g in group_similar(items[3:], vectors[3:], 0.95)] == ["c", "a3"]


def test_a_threshold_of_one_keeps_every_wording_apart_and_nothing_is_lost():
    items = [Wording(f"q{i}", 1, T0, i) for i in range(5)]
    vectors = np.stack([unit(1, i / 100, 0) for i in range(5)])
    assert len(group_similar(items, vectors, threshold=1.01)) == 5
    assert len(group_similar(items, vectors, threshold=0.5)) == 1
    assert group_similar([], np.zeros((0, 3)), 0.9) == []
    with pytest.raises(ValueError):
        group_similar(items, vectors[:2])
