"""Structural chunking: sections, headings quoted with their first passage, sentence units."""

from __future__ import annotations

from pathlib import Path

from bot.knowledge.chunking import chunk_document, split_units
from bot.knowledge.document import Document
from bot.knowledge.loaders import load_directory

PLAN = """Số 5-KH/ĐU

KẾ HOẠCH
thực hiện nhiệm vụ năm 2025

I - MỤC ĐÍCH, YÊU CẦU

1. Nâng cao nhận thức của cán bộ, đảng viên về nhiệm vụ chính trị của đơn vị trong năm.

II - NỘI DUNG

1. Giai đoạn một, tập trung các nội dung:

1.1 - Tuyên truyền “Niềm tin mới”

- Phân tích bối cảnh tình hình. Khẳng định sự lãnh đạo của Đảng.

- Tuyên truyền gương người tốt việc tốt.

2. Ban Chỉ đạo 35 của Đảng ủy

Phát huy vai trò của Ban Chỉ đạo trong bảo vệ nền tảng tư tưởng của Đảng.

Nơi nhận:
- Ban Tuyên giáo,
- Lưu VP.
"""


def chunks_of(text: str):
    return chunk_document(Document(path="kh.txt", title="Kế hoạch 5", text=text))


def test_sections_follow_the_numbering() -> None:
    sections = [c.section for c in chunks_of(PLAN)]
    assert sections[1].startswith("I. Mục đích, yêu cầu › 1. Nâng cao nhận thức của cán bộ")
    assert sections[1].endswith("…") and len(sections[1].split(" › ")[1]) <= 64
    assert (
        "II. Nội dung › 1. Giai đoạn một, tập trung các nội dung › 1.1 Tuyên truyền “Niềm tin mới”"
        in sections
    )
    assert "II. Nội dung › 2. Ban Chỉ đạo 35 của Đảng ủy" in sections
    assert sections[-1] == "Nơi nhận"


def test_headings_are_quoted_at_the_start_of_their_first_passage() -> None:
    first_under_ii = next(c for c in chunks_of(PLAN) if c.section.startswith("II. Nội dung › 1."))
    lines = first_under_ii.text.split("\n")
    assert lines[:3] == [
        "II - NỘI DUNG",
        "1. Giai đoạn một, tập trung các nội dung:",
        "1.1 - Tuyên truyền “Niềm tin mới”",
    ]
    assert lines[3].startswith("- Phân tích bối cảnh")


def test_short_paragraphs_of_one_section_are_merged() -> None:
    chunk = next(c for c in chunks_of(PLAN) if "Phân tích bối cảnh" in c.text)
    assert "Tuyên truyền gương người tốt việc tốt." in chunk.text


def test_every_word_of_the_document_is_kept_in_order() -> None:
    words = " ".join(c.text for c in chunks_of(PLAN)).split()
    assert words == PLAN.split()


def test_units_split_sentences_then_long_clauses() -> None:
    assert split_units("Câu một. Câu hai!") == ("Câu một.", "Câu hai!")
    long = "; ".join(["mệnh đề dài " * 12] * 4)
    units = split_units(long)
    assert len(units) == 4 and all(len(u) <= 300 for u in units)
    assert " ".join(units).split() == long.split()


def test_dates_and_numbers_do_not_split_sentences() -> None:
    assert split_units("Ngày 03/02/1930 thành lập Đảng. Số 10-KH/ĐUK.") == (
        "Ngày 03/02/1930 thành lập Đảng.",
        "Số 10-KH/ĐUK.",
    )


def test_initials_and_abbreviations_do_not_end_a_unit() -> None:
    text = (
        "Biểu đồ dựa trên bài viết của Michael E. Mann và Raymond S. Bradley. "
        "E.I. du Pont lập nhà máy ở St. Johns. Hội nghị họp tại TP. Hồ Chí Minh. "
        "Xem Phụ lục I. Các đơn vị thực hiện."
    )
    assert split_units(text) == (
        "Biểu đồ dựa trên bài viết của Michael E. Mann và Raymond S. Bradley.",
        "E.I. du Pont lập nhà máy ở St. Johns.",
        "Hội nghị họp tại TP. Hồ Chí Minh.",
        # a lone capital after a common word ends the sentence
        "Xem Phụ lục I.",
        "Các đơn vị thực hiện.",
    )


def test_very_long_paragraph_becomes_windows_of_whole_units() -> None:
    para = " ".join(f"Câu số {i} nói về nhiệm vụ tuyên truyền trong năm." for i in range(80))
    chunks = chunks_of(f"I - PHẦN MỘT\n\n{para}")
    assert len(chunks) > 1
    assert all(len(c.text) <= 1700 for c in chunks)
    assert " ".join(c.text for c in chunks).split() == f"I - PHẦN MỘT {para}".split()


def test_content_hash_changes_with_text_only() -> None:
    a, b = chunks_of(PLAN)[1], chunks_of(PLAN)[1]
    assert a.content_hash == b.content_hash
    changed = chunks_of(PLAN.replace("nhiệm vụ chính trị", "nhiệm vụ"))[1]
    assert changed.content_hash != a.content_hash


def test_sample_plan_chunks_keep_units_under_the_snippet_limit() -> None:
    root = Path(__file__).resolve().parents[2] / "knowledge"
    docs, skipped = load_directory(root)
    assert not skipped
    chunks = [c for d in docs for c in chunk_document(d)]
    assert 20 <= len(chunks) <= 80
    assert max(len(u) for c in chunks for u in c.units) <= 400
    ii_12 = [c for c in chunks if "› 1.2 Tuyên truyền “Cơ đồ, tiềm lực" in c.section]
    assert ii_12 and ii_12[0].section.startswith("II. Lộ trình và nội dung tuyên truyền › 1.")
