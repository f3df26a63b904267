"""The hoi-dap document: read back by the knowledge loader word for word, whatever was typed."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.answerdesk.desk import AnswerView
from bot.answerdesk.documents import document_name, render_document, write_document
from bot.knowledge.loaders import load_document

QUESTION = 'Đảng viên "đi" nước ngoài: cần #xin phép ai?'
# what Markdown would eat: bold marks, a heading, a link, a rule, a table row, a list star
ANSWER = (
    "**Lưu ý:** nộp đơn tại [chi bộ](https://x.vn) trước 15.12.\n"
    "# không phải tiêu đề\n---\n| cột | cột |\n* một ý; 2 + 2 = 4! (xem mục 3_a) `mã` \\ hết"
)


def view() -> AnswerView:
    at = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)  # 2 Dec in Hanoi
    return AnswerView(
        7, QUESTION, ANSWER, "approved", "telegram", "4242", "Mai", "4242", "1001",
        "Hùng", "", "", at, at, 3,
    )  # fmt: skip


def test_the_loader_reads_back_the_question_and_the_answer_exactly(tmp_path):
    name = document_name(7)
    write_document(tmp_path, name, render_document(view(), ZoneInfo("Asia/Ho_Chi_Minh")))
    assert not list(tmp_path.rglob(".*.part"))  # written atomically: no leftover
    doc = load_document(tmp_path / name, tmp_path)
    assert (doc.title, doc.kind, doc.date) == (QUESTION, "hoi-dap", "02/12/2026")
    assert doc.approved_by == "Hùng" and "Hỏi đáp số 7" in doc.source and "Mai" in doc.source
    assert f"Hỏi: {QUESTION}" in doc.text
    assert f"Đáp: {ANSWER}".replace("\n# ", " # ") in doc.text  # no heading made of it


def test_the_answer_stays_one_passage_quoted_whole(tmp_path):
    from bot.search.encoders import HashEncoder
    from bot.search.knowledge_base import KnowledgeBase

    knowledge = tmp_path / "knowledge"
    name = document_name(7)
    write_document(knowledge, name, render_document(view(), ZoneInfo("Asia/Ho_Chi_Minh")))
    kb = KnowledgeBase(knowledge, tmp_path / "index", HashEncoder())
    kb.open()
    [chunk] = kb.index.chunks
    assert chunk.section == "" and chunk.text.endswith("`mã` \\ hết")
