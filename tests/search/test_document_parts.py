"""A question about a document itself (its number, signer, recipients) is answered from its
letterhead or foot, with the confidence of how well the question names that document."""

from __future__ import annotations

from bot.knowledge.chunking import Chunk
from bot.search.document_parts import as_named, part_of, parts, with_parts
from bot.search.evidence import RECIPIENTS, REFERENCE, SIGNER


def _chunk(doc: str, ordinal: int, text: str) -> Chunk:
    return Chunk(doc, ordinal, doc, "", text, (text,))


CHUNKS = [
    _chunk("hoi-thi.docx", 0, "ĐẢNG BỘ XÃ TÂN PHÚ\nSố 45-KH/ĐU\nTân Phú, ngày 12 tháng 3 năm 2025"),
    _chunk("hoi-thi.docx", 1, "Hội thi tìm hiểu lịch sử Đảng bộ xã tổ chức hai vòng."),
    _chunk("quy-che.pdf", 0, "Quy chế thay thế Quy chế số 12-QC/ĐU năm 2020."),
]


def test_only_a_documents_own_number_makes_a_letterhead() -> None:
    # a number cited inside a sentence is another document's
    assert parts(CHUNKS, REFERENCE, 400) == {"hoi-thi.docx": 0}


def test_the_letterhead_joins_the_candidates_with_its_document() -> None:
    heads = parts(CHUNKS, REFERENCE, 400)
    assert with_parts([1, 2], CHUNKS, heads) == [1, 2, 0]
    assert with_parts([2], CHUNKS, heads) == [2]  # no candidate from that document
    assert with_parts([0, 1], CHUNKS, heads) == [0, 1]


def test_the_letterhead_is_as_sure_as_the_documents_best_passage() -> None:
    chunks = [CHUNKS[1], CHUNKS[0], CHUNKS[2]]
    ranking = as_named([0.6, 0.3, 0.5], chunks, [False, True, False], penalty=0.2)
    # the contest passage matched at 0.8 before losing 0.2 for giving no number
    assert ranking == [0.6, 0.8, 0.5]


FOOT = (
    "4. Các chi bộ báo cáo kết quả về Văn phòng Đảng ủy trước ngày 30/11/2025.",
    "Nơi nhận:",
    "- Ban Tuyên giáo Huyện ủy (b/c),",
    "- Các chi bộ trực thuộc,",
    "- Lưu VP.",
    "T/M ĐẢNG ỦY",
    "BÍ THƯ",
    "(Đã ký)",
    "Nguyễn Văn Hùng",
)


def test_the_recipients_are_the_items_under_noi_nhan_without_the_label() -> None:
    part = part_of(RECIPIENTS, FOOT, 0, 400)
    assert part is not None
    assert [FOOT[i] for i in part.lines] == list(FOOT[2:5])
    assert part.answer == (0, 1, 2)  # every recipient is the answer
    assert part.label == 1


def test_the_recipients_stop_where_the_quote_is_full() -> None:
    part = part_of(RECIPIENTS, FOOT, 0, 70)
    assert part is not None
    assert [FOOT[i] for i in part.lines] == [
        "- Ban Tuyên giáo Huyện ủy (b/c),",
        "- Các chi bộ trực thuộc,",
    ]


def test_the_signer_is_the_name_under_the_title_lines() -> None:
    part = part_of(SIGNER, FOOT, 0, 400)
    assert part is not None
    assert [FOOT[i] for i in part.lines] == ["T/M ĐẢNG ỦY", "BÍ THƯ", "(Đã ký)", "Nguyễn Văn Hùng"]
    assert part.answer == (3,)  # the name in bold


def test_a_name_line_outside_a_documents_foot_is_no_signer() -> None:
    # a capitalised line in the body ("Hồ Chí Minh" as a heading) signs nothing
    assert part_of(SIGNER, ("Hồ Chí Minh", "Người sáng lập Đảng."), 0, 400) is None
    # the foot with the title lines only (the name lost in conversion): no signer to quote
    assert part_of(SIGNER, FOOT[:7], 0, 400) is None
    assert part_of(RECIPIENTS, FOOT[5:], 0, 400) is None


def test_the_foot_is_the_last_passage_that_gives_it_and_the_letterhead_the_first() -> None:
    chunks = [
        Chunk("a.docx", 0, "a", "", "Số 45-KH/ĐU", ("Số 45-KH/ĐU",)),
        Chunk("a.docx", 1, "a", "", "\n".join(FOOT), FOOT),
        Chunk("a.docx", 2, "a", "", "Số 46-KH/ĐU", ("Số 46-KH/ĐU",)),
        Chunk("b.md", 0, "b", "", "Thông tin tuyên truyền.", ("Thông tin tuyên truyền.",)),
    ]
    assert parts(chunks, REFERENCE, 400) == {"a.docx": 0}
    assert parts(chunks, SIGNER, 400) == {"a.docx": 1}
    assert parts(chunks, RECIPIENTS, 400) == {"a.docx": 1}
