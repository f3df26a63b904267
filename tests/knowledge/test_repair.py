from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge.repair import is_structural_line, is_upper_line, repair_text

SAMPLE = Path(__file__).parents[2] / "knowledge" / "ke-hoach-10-KH-DUK-tuyen-truyen-dai-hoi-XIV.md"
LONG = (
    "- Phân tích, làm rõ bối cảnh tình hình, những thời cơ, thuận lợi, khó khăn, thách thức "
    "tác động đến nước ta, qua đó khẳng định sự lãnh đạo, chỉ đạo kịp thời của Ban"
)


def sample_body() -> str:
    """The plan as shipped, without its YAML front matter (the original PDF copy)."""
    return SAMPLE.read_text(encoding="utf-8").split("---\n", 2)[2]


# --- the shipped sample plan ---------------------------------------------------------------


@pytest.fixture(scope="module")
def repaired() -> str:
    return repair_text(sample_body())


@pytest.mark.parametrize(
    "joined",
    [
        "135 năm Ngày sinh Chủ tịch Hồ Chí Minh (19/5/1890",
        "phát huy sức mạnh văn hóa, con người và khôi đại đoàn kết",
        "kịp thời của Ban Chấp hành Trung ương Đảng, Bộ Chính trị",
        "những thành tự của đất nước",
        "Đại hội XIV của Đảng; chỉ đạo, hướng dẫn, theo dõi",
    ],
)
def test_sample_sentences_cut_by_page_breaks_are_joined(repaired: str, joined: str) -> None:
    assert joined in repaired


@pytest.mark.parametrize(
    "line",
    [
        "Số 10-KH/ĐUK",
        "I - MỤC ĐÍCH, YÊU CẦU",
        "II - LỘ TRÌNH VÀ NỘI DUNG TUYÊN TRUYỀN",
        "III - HÌNH THỨC TUYÊN TRUYỀN",
        "1.1 - Tuyên truyền “Niềm tin mới, khí thế mới”",
        "2. Ban Chỉ đạo 35 của Đảng ủy Khối",
        "Nơi nhận:",
        "- Website ĐUK,",
        "Bùi Quang Nhựt",
    ],
)
def test_sample_headings_stay_on_their_own_lines(repaired: str, line: str) -> None:
    assert line in repaired.split("\n")


def test_sample_structure_is_kept(repaired: str) -> None:
    lines = repaired.split("\n")
    assert lines[lines.index("1.1 - Tuyên truyền “Niềm tin mới, khí thế mới”") + 2].startswith(
        "- Phân tích, làm rõ bối cảnh"
    )
    assert "KẾ HOẠCH\ntuyên truyền những chủ đề lớn, trọng tâm\ntừ nay đến" in repaired
    assert "lần thứ XIV của Đảng\n\nThực hiện Hướng dẫn số 124-HD/BTGTU" in repaired
    assert "\n\n\n" not in repaired
    assert not repaired.startswith("\n")
    # Only page breaks were removed: every word of the original is still there, in order.
    assert repaired.split() == sample_body().split()


def test_sample_repair_is_idempotent(repaired: str) -> None:
    assert repair_text(repaired) == repaired


# --- joining across a blank line -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ngày sinh Chủ\n\ntịch Hồ Chí Minh", "ngày sinh Chủ tịch Hồ Chí Minh"),
        ("sức mạnh văn hóa, con\n\nngười và khối", "sức mạnh văn hóa, con người và khối"),
        ("về những thành\n\ntự của đất nước", "về những thành tự của đất nước"),
        (
            "Đại hội XIV của Đảng;\n\nchỉ đạo, hướng dẫn.",
            "Đại hội XIV của Đảng; chỉ đạo, hướng dẫn.",
        ),
        ("Ban Bí thư,\n\nđứng đầu là", "Ban Bí thư, đứng đầu là"),
        ("lời Bác: “Ngoài lợi ích”\n\nđã chèo lái", "lời Bác: “Ngoài lợi ích” đã chèo lái"),
        ("kinh tế -\n\nxã hội", "kinh tế - xã hội"),
        ("chủ nghĩa Mác-\n\nLênin, tư tưởng", "chủ nghĩa Mác-Lênin, tư tưởng"),
        ("Liên bang Xô-\n\nviết", "Liên bang Xô-viết"),
        (LONG + "\n\nChấp hành Trung ương Đảng", LONG + " Chấp hành Trung ương Đảng"),
        (LONG + ",\n\nChính phủ", LONG + ", Chính phủ"),
        (LONG + "\n\n“Chuyển đổi số”", LONG + " “Chuyển đổi số”"),
        (LONG + " kinh tế\n\n- xã hội", LONG + " kinh tế - xã hội"),
        (LONG + " nhiệm kỳ 2025\n\n- 2030;", LONG + " nhiệm kỳ 2025 - 2030;"),
    ],
)
def test_breaks_inside_a_sentence_are_joined(text: str, expected: str) -> None:
    assert repair_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "I - MỤC ĐÍCH, YÊU CẦU\n\n1. Nâng cao nhận thức",
        "II - LỘ TRÌNH VÀ NỘI DUNG TUYÊN TRUYỀN\n\n1. Giai đoạn từ nay",
        "1.1 - Tuyên truyền “Niềm tin mới, khí thế mới”\n\n- Phân tích, làm rõ",
        "2. Ban Chỉ đạo 35 của Đảng ủy Khối\n\nPhát huy vai trò, trách nhiệm",
        "1.4 - Phân tích, lý giải một cách khoa học, thuyết phục những tư tưởng chỉ đạo mang tầm "
        "chiến lược được thông qua tại Hội nghị lần thứ mười Ban Chấp hành Trung ương Đảng khóa "
        "XIII\n\nThực hiện thắng lợi Nghị quyết",
        "III - HÌNH THỨC TUYÊN TRUYỀN\n\nCấp ủy các chi, đảng bộ cơ sở",
        "Số 10-KH/ĐUK\n\nKẾ HOẠCH",
        "từ nay đến Đại hội đại biểu toàn quốc lần thứ XIV của Đảng\n\nThực hiện Hướng dẫn số 124",
        "thực hiện, như sau:\n\na) Tuyên truyền",
        "như sau:\n\nb) tuyên truyền",
        "như sau:\n\nđ) tuyên truyền",
        "nội dung:\n\ncác phong trào",
        "kỷ nguyên mới.\n\nmột là, đổi mới",
        LONG + "\n\n- Khẳng định",
        LONG + "\n\n- 100% đảng viên",
        LONG + "\n\n+ Khẳng định",
        LONG + "\n\n• Khẳng định",
        LONG + "\n\n1.2 - Tuyên truyền",
        LONG + "\n\nNơi nhận:",
        LONG + "\n\nTM. BAN THƯỜNG VỤ",
        LONG + "\n\nĐiều 2. Hiệu lực thi hành",
        LONG + "\n\nCHƯƠNG TRÌNH HÀNH ĐỘNG",
        LONG + ";\n\nTăng cường công tác",
        LONG + ".\n\nTăng cường công tác",
        "- Lưu VP, BTGDUK.\n\nBùi Quang Nhựt",
        "- Ban Thường vụ Đảng ủy Khối\n\nChi, đảng bộ cơ sở",
    ],
)
def test_structural_breaks_are_kept(text: str) -> None:
    assert repair_text(text) == text


def test_a_heading_broken_by_a_page_is_joined_when_it_goes_on_in_lowercase() -> None:
    text = "1.4 - Phân tích những tư tưởng chỉ đạo được thông qua tại Hội nghị\n\nlần thứ mười"
    assert repair_text(text) == (
        "1.4 - Phân tích những tư tưởng chỉ đạo được thông qua tại Hội nghị lần thứ mười"
    )


def test_a_long_numbered_paragraph_is_body_text_not_a_heading() -> None:
    body = "1. Ban Tuyên giáo tham mưu " + "xây dựng kế hoạch tuyên truyền, " * 10 + "Ban"
    assert repair_text(body + "\n\nThường vụ Đảng ủy Khối.") == body + " Thường vụ Đảng ủy Khối."


def test_a_paragraph_opening_with_a_number_is_not_a_heading() -> None:
    body = "1.500 đảng viên tham gia học tập, quán triệt các chỉ thị, nghị quyết của Ban"
    body += " Thường vụ Tỉnh ủy"
    tail = "Về công tác tuyên truyền."
    assert repair_text(f"{body}\n\n{tail}") == f"{body} {tail}"


def test_joins_chain_over_several_page_breaks() -> None:
    text = "Ban Chấp hành Trung\n\nương Đảng, Bộ Chính\n\ntrị, Ban Bí thư."
    assert repair_text(text) == "Ban Chấp hành Trung ương Đảng, Bộ Chính trị, Ban Bí thư."


# --- clean-up ------------------------------------------------------------------------------


def test_line_endings_form_feeds_and_blank_runs_are_normalised() -> None:
    text = "\r\n\r\nI - MỤC ĐÍCH\r\n\r\n\r\n\r\n1. Nâng cao\rnhận thức.\f2. Công tác.\n\n\n"
    assert repair_text(text) == "I - MỤC ĐÍCH\n\n1. Nâng cao\nnhận thức.\n\n2. Công tác."


def test_a_form_feed_inside_a_sentence_is_a_page_break_to_repair() -> None:
    assert repair_text("135 năm Ngày sinh Chủ\ftịch Hồ Chí Minh") == (
        "135 năm Ngày sinh Chủ tịch Hồ Chí Minh"
    )


@pytest.mark.parametrize("page", ["12", " 3 ", "- 4 -", "– 5 –", "Trang 6", "Trang 2/10", "Page 7"])
def test_page_number_lines_are_removed_and_the_sentence_rejoined(page: str) -> None:
    assert repair_text(f"ngày sinh Chủ\n\n{page}\n\ntịch Hồ Chí Minh") == (
        "ngày sinh Chủ tịch Hồ Chí Minh"
    )


def test_numbers_inside_lines_are_not_page_numbers() -> None:
    text = "1. Giai đoạn năm 2024\n\n2025 - 2030: nhiệm kỳ mới"
    assert repair_text(text) == text


def test_spaces_are_collapsed_and_invisible_characters_dropped() -> None:
    text = "  Tăng  cường\u00a0\u00a0công\ttác \u200btuyên\ufeff truyền.  "
    assert repair_text(text) == "Tăng cường công tác tuyên truyền."


def test_soft_hyphen_at_a_line_end_joins_the_word() -> None:
    assert repair_text("infor\u00ad\nmation and docu\u00adment") == "information and document"


def test_empty_and_blank_text_repair_to_empty() -> None:
    assert repair_text("") == ""
    assert repair_text("\n\n \f \n12\n") == ""


def test_single_newlines_are_kept_without_unwrap() -> None:
    text = "Nơi nhận:\n- Ban Tuyên giáo Tỉnh ủy (b/c),\n- Lưu VP."
    assert repair_text(text) == text


# --- PDF line unwrapping -------------------------------------------------------------------

WRAPPED = (
    "Số 10-KH/ĐUK\n"
    "KẾ HOẠCH\n"
    "tuyên truyền những chủ đề lớn, trọng tâm\n"
    "I - MỤC ĐÍCH, YÊU CẦU\n"
    "1. Nâng cao nhận thức cho cán bộ, đảng viên, công chức, viên chức và người lao động\n"
    "về những thành tựu của đất nước sau 40 năm đổi mới dưới sự lãnh đạo của Ban Chấp\n"
    "hành Trung ương Đảng, Bộ Chính trị; những tư tưởng chỉ đạo chiến lược, chủ trương\n"
    "lớn của Đảng ta.\n"
    "2. Ban Chỉ đạo 35 của Đảng ủy Khối\n"
    "Phát huy vai trò, trách nhiệm của các thành viên Ban Chỉ đạo trong bảo vệ nền tảng tư\n"
    "tưởng của Đảng; nâng cao hiệu quả công tác thông tin, tuyên truyền, lan tỏa thông tin\n"
    "1\n"
    "\n"
    "Tích cực, kiên quyết đấu tranh phản bác các quan điểm sai trái, thù địch.\n"
    "- Website ĐUK,\n"
    "- Lưu VP."
)


def test_unwrap_rebuilds_paragraphs_from_pdf_lines() -> None:
    assert repair_text(WRAPPED, unwrap=True).split("\n\n") == [
        "Số 10-KH/ĐUK",
        "KẾ HOẠCH tuyên truyền những chủ đề lớn, trọng tâm",
        "I - MỤC ĐÍCH, YÊU CẦU",
        "1. Nâng cao nhận thức cho cán bộ, đảng viên, công chức, viên chức và người lao động "
        "về những thành tựu của đất nước sau 40 năm đổi mới dưới sự lãnh đạo của Ban Chấp "
        "hành Trung ương Đảng, Bộ Chính trị; những tư tưởng chỉ đạo chiến lược, chủ trương "
        "lớn của Đảng ta.",
        "2. Ban Chỉ đạo 35 của Đảng ủy Khối",
        "Phát huy vai trò, trách nhiệm của các thành viên Ban Chỉ đạo trong bảo vệ nền tảng tư "
        "tưởng của Đảng; nâng cao hiệu quả công tác thông tin, tuyên truyền, lan tỏa thông tin "
        "Tích cực, kiên quyết đấu tranh phản bác các quan điểm sai trái, thù địch.",
        "- Website ĐUK,",
        "- Lưu VP.",
    ]


def test_unwrap_joins_a_heading_wrapped_over_two_lines() -> None:
    text = (
        "1.4 - Phân tích, lý giải một cách khoa học, thuyết phục những tư tưởng chỉ đạo mang\n"
        "tầm chiến lược\n"
        "II - LỘ TRÌNH VÀ NỘI DUNG TUYÊN TRUYỀN CỦA ĐẢNG ỦY KHỐI CƠ QUAN VÀ DOANH NGHIỆP\n"
        "TỈNH TRONG NĂM 2025\n"
        "- Phân tích, làm rõ."
    )
    assert repair_text(text, unwrap=True).split("\n\n") == [
        "1.4 - Phân tích, lý giải một cách khoa học, thuyết phục những tư tưởng chỉ đạo mang "
        "tầm chiến lược",
        "II - LỘ TRÌNH VÀ NỘI DUNG TUYÊN TRUYỀN CỦA ĐẢNG ỦY KHỐI CƠ QUAN VÀ DOANH NGHIỆP "
        "TỈNH TRONG NĂM 2025",
        "- Phân tích, làm rõ.",
    ]


def test_unwrap_keeps_a_spaced_dash_wrapped_to_the_line_start_in_its_sentence() -> None:
    text = (
        "Tuyên truyền đậm nét việc triển khai các nhiệm vụ phát triển kinh tế, văn hóa, xã hội\n"
        "- an ninh, đối ngoại; cổ vũ cán bộ, đảng viên và Nhân dân phát huy cao độ tinh thần\n"
        "- Khẳng định."
    )
    assert repair_text(text, unwrap=True).split("\n\n") == [
        "Tuyên truyền đậm nét việc triển khai các nhiệm vụ phát triển kinh tế, văn hóa, xã hội "
        "- an ninh, đối ngoại; cổ vũ cán bộ, đảng viên và Nhân dân phát huy cao độ tinh thần",
        "- Khẳng định.",
    ]


def test_unwrap_repairs_a_numbered_heading_cut_by_a_page_only_after_a_full_line() -> None:
    full = "1.4 - Phân tích, lý giải một cách khoa học, thuyết phục những tư tưởng chỉ đạo của Ban"
    short = "2. Ban Chỉ đạo 35 của Đảng ủy Khối"
    assert repair_text(f"{full}\n\nChấp hành Trung ương", unwrap=True) == (
        f"{full} Chấp hành Trung ương"
    )
    assert repair_text(f"{full}\n{short}\n\nPhát huy vai trò", unwrap=True) == (
        f"{full}\n\n{short}\n\nPhát huy vai trò"
    )
    # Without the width of visual lines a numbered heading is never run on to a capital.
    assert repair_text(f"{full}\n\nChấp hành Trung ương") == f"{full}\n\nChấp hành Trung ương"


def test_unwrap_is_idempotent() -> None:
    once = repair_text(WRAPPED, unwrap=True)
    assert repair_text(once, unwrap=True) == once
    assert repair_text(once) == once


# --- line predicates -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "I - MỤC ĐÍCH",
        "IV. TỔ CHỨC",
        "1. Giai đoạn",
        "1.1 - Tuyên truyền",
        "2.3.1. Nội dung",
        "1.2 Tuyên truyền",
        "3) Ba",
        "a) Một",
        "đ) Năm",
        "- Gạch",
        "+ Cộng",
        "• Chấm",
        "Nơi nhận:",
        "Điều 1. Phạm vi",
        "Chương II",
        "Mục 3. Nội dung",
        "TM. BAN THƯỜNG VỤ",
    ],
)
def test_structural_lines(line: str) -> None:
    assert is_structural_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "tịch Hồ Chí Minh",
        "Chấp hành Trung ương",
        "19/5/1890 - 19/5/2025",
        "2025 - 2030",
        "1.500 người",
        "40 năm đổi mới",
        "Mục 1, phần II",
        "Điều 5 của Luật",
        "-5 độ",
        "Ban",
    ],
)
def test_running_text_is_not_structural(line: str) -> None:
    assert not is_structural_line(line)


def test_upper_lines() -> None:
    assert is_upper_line("II - LỘ TRÌNH VÀ NỘI DUNG TUYÊN TRUYỀN")
    assert is_upper_line("KẾ HOẠCH")
    assert not is_upper_line("Số 10-KH/ĐUK")
    assert not is_upper_line("2025")
