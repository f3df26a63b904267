"""Rendering: escaped quotes, bold answer, source kept, 4,096-character cap."""

from __future__ import annotations

from bot import replies
from bot.assistant import callbacks
from bot.assistant.ratelimit import RateLimiter
from bot.knowledge.chunking import Chunk
from bot.markup import utf16_len
from bot.search.retriever import Hit
from bot.search.snippets import Snippet


def hit(units: tuple[str, ...], answer=(0,), title="Kế hoạch <10>", section="I. Mục đích"):
    chunk = Chunk("a.md", 0, title, section, " ".join(units), units, date="15/10/2024")
    return Hit(chunk, Snippet(units, answer), 0.9, 0.9, 0.9)


def test_answer_is_escaped_bold_and_sourced():
    text = replies.render_answer(replies.AnswerView(hit(("A & <b>", "Câu trả lời.")), 0, 3))
    assert "A &amp; &lt;b&gt;" in text.split("<b>")[1]
    assert text.endswith("Kế hoạch &lt;10&gt; — I. Mục đích (15/10/2024)")
    assert "Kết quả" not in text  # page 1 has no header
    second = replies.render_answer(replies.AnswerView(hit(("x",)), 1, 3))
    assert second.startswith("<i>Kết quả 2/3</i>")


def test_list_items_and_a_documents_foot_are_quoted_line_by_line():
    items = ("- Ban Tuyên giáo Tỉnh ủy (b/c),", "- Lưu VP.")
    listed = replies.render_answer(replies.AnswerView(hit(items, answer=(0, 1)), 0, 1))
    assert "<b>- Ban Tuyên giáo Tỉnh ủy (b/c),</b>\n<b>- Lưu VP.</b>" in listed
    prose = replies.render_answer(replies.AnswerView(hit(("Câu một.", "Câu hai.")), 0, 1))
    assert "<b>Câu một.</b> Câu hai." in prose  # sentences run on
    signed = ("T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Trần Thị Mai")
    foot = Hit(hit(signed).chunk, Snippet(signed, (2,), lines=True), 0.9, 0.9, 0.9)
    text = replies.render_answer(replies.AnswerView(foot, 0, 1))
    assert "T/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ\n<b>Trần Thị Mai</b>" in text


def test_answer_never_exceeds_the_limit_and_keeps_the_source():
    huge = ("ngữ cảnh " * 600, "Đây là câu trả lời & " * 400, "sau " * 900)
    text = replies.render_answer(replies.AnswerView(hit(huge, answer=(1,)), 0, 1))
    assert utf16_len(text) <= 4096
    assert text.endswith("(15/10/2024)") and "<b>Đây là câu trả lời" in text
    assert text.count("<b>") == text.count("</b>")
    emoji = replies.render_answer(replies.AnswerView(hit(("😀" * 5000,)), 0, 1))
    assert utf16_len(emoji) <= 4096


def test_absurd_title_still_fits():
    text = replies.render_answer(replies.AnswerView(hit(("câu",), title="T" * 9000), 0, 1))
    assert utf16_len(text) <= 4096 and "câu" in text


def test_summary_lists_skipped_files_and_fits():
    from bot.knowledge.document import SkippedFile

    skipped = [SkippedFile(f"tep-{i}.pdf", "không đọc được <pdf>") for i in range(500)]
    text = replies.render_summary(3, 120, 40, skipped, 12.34)
    assert text.startswith("✅ Đã cập nhật kho tri thức: 3 tài liệu, 120 đoạn")
    assert "&lt;pdf&gt;" in text and utf16_len(text) <= 4096


def test_callback_data_round_trip_and_garbage():
    here = callbacks.Binding(b"k" * 32, "telegram", "-100")
    more = callbacks.parse(callbacks.show_page(here, 123456789012, 4))
    assert isinstance(more, callbacks.ShowPage) and (more.question_id, more.page) == (
        123456789012,
        4,
    )
    vote = callbacks.parse(callbacks.vote(here, 7, False))
    assert isinstance(vote, callbacks.Vote) and (vote.question_id, vote.helpful) == (7, False)
    assert here.holds(more) and here.holds(vote)
    for elsewhere in (
        callbacks.Binding(b"k" * 32, "telegram", "-101"),  # another chat
        callbacks.Binding(b"k" * 32, "mocha", "-100"),  # same id on another platform
        callbacks.Binding(b"x" * 32, "telegram", "-100"),  # another installation's key
    ):
        assert not elsewhere.holds(more) and not elsewhere.holds(vote)
    assert len(callbacks.show_page(here, 10**12 - 1, 99).encode()) < 64
    for junk in (None, "", "m:1", "m:x:1", "v:1:2", "m:1:1:1", "m:1:0", "v:" + "9" * 80 + ":1"):
        assert callbacks.parse(junk) is None


def test_rate_limiter_refills_and_warns_once():
    now = [0.0]
    limiter = RateLimiter(burst=2, per_minute=6, clock=lambda: now[0])
    assert limiter.check("u").allowed and limiter.check("u").allowed
    first, second = limiter.check("u"), limiter.check("u")
    assert not first.allowed and first.warn and round(first.retry_after) == 10
    assert not second.allowed and not second.warn
    assert limiter.check("other").allowed
    now[0] = 10.0
    assert limiter.check("u").allowed


def test_stats_write_thousands_the_vietnamese_way():
    from bot.text import thousands

    assert [thousands(n) for n in (0, 999, 1000, 1234567)] == ["0", "999", "1.000", "1.234.567"]
    usage = replies.Usage(12345, 6789, 10, 2, 3, 1)
    text = replies.render_stats(usage, documents=1, chunks=1200)
    assert "Câu hỏi: 12.345 (trả lời được 6.789, 55%)" in text and "1.200 đoạn" in text
