"""A question about a document's number is answered from its letterhead, with the confidence
of how well the question names that document."""

from __future__ import annotations

from bot.knowledge.chunking import Chunk
from bot.search.letterhead import as_named, letterheads, with_letterheads


def _chunk(doc: str, ordinal: int, text: str) -> Chunk:
    return Chunk(doc, ordinal, doc, "", text, (text,))


CHUNKS = [
    _chunk("hoi-thi.docx", 0, "ĐẢNG BỘ XÃ TÂN PHÚ\nSố 45-KH/ĐU\nTân Phú, ngày 12 tháng 3 năm 2025"),
    _chunk("hoi-thi.docx", 1, "Hội thi tìm hiểu lịch sử Đảng bộ xã tổ chức hai vòng."),
    _chunk("quy-che.pdf", 0, "Quy chế thay thế Quy chế số 12-QC/ĐU năm 2020."),
]


def test_only_a_documents_own_number_makes_a_letterhead() -> None:
    # a number cited inside a sentence is another document's
    assert letterheads(CHUNKS) == {"hoi-thi.docx": 0}


def test_the_letterhead_joins_the_candidates_with_its_document() -> None:
    heads = letterheads(CHUNKS)
    assert with_letterheads([1, 2], CHUNKS, heads) == [1, 2, 0]
    assert with_letterheads([2], CHUNKS, heads) == [2]  # no candidate from that document
    assert with_letterheads([0, 1], CHUNKS, heads) == [0, 1]


def test_the_letterhead_is_as_sure_as_the_documents_best_passage() -> None:
    chunks = [CHUNKS[1], CHUNKS[0], CHUNKS[2]]
    ranking = as_named([0.6, 0.3, 0.5], chunks, [False, True, False], penalty=0.2)
    # the contest passage matched at 0.8 before losing 0.2 for giving no number
    assert ranking == [0.6, 0.8, 0.5]
