from __future__ import annotations

import unicodedata
import zipfile
from pathlib import Path

import docx
import pytest

from bot.knowledge.document import Document, SkippedFile
from bot.knowledge.loaders import (
    SUPPORTED_SUFFIXES,
    UnreadableFile,
    knowledge_files,
    load_directory,
    load_document,
)

PROJECT_KNOWLEDGE = Path(__file__).parents[2] / "knowledge"
SAMPLE_NAME = "ke-hoach-10-KH-DUK-tuyen-truyen-dai-hoi-XIV.md"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
PLAN_TXT = (
    "Số 12-KH/ĐUK\n\n"
    "KẾ HOẠCH\n"
    "tuyên truyền kỷ niệm 135 năm Ngày sinh\n"
    "Chủ tịch Hồ Chí Minh\n\n"
    "I - MỤC ĐÍCH, YÊU CẦU\n\n"
    "1. Tuyên truyền sâu rộng về 135 năm Ngày sinh Chủ\n\n"
    "tịch Hồ Chí Minh (19/5/1890 - 19/5/2025).\n\n"
    "Nơi nhận:\n- Lưu VP.\n\n"
    "Bùi Quang Nhựt\n"
)


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def load(path: Path) -> Document:
    return load_document(path, path.parent)


# --- .txt ----------------------------------------------------------------------------------


def test_txt_is_repaired_and_its_metadata_read_from_the_text(tmp_path: Path) -> None:
    doc = load(write(tmp_path / "ke_hoach_12.txt", PLAN_TXT))
    assert doc.path == "ke_hoach_12.txt"
    assert doc.title == (
        "Kế hoạch số 12-KH/ĐUK tuyên truyền kỷ niệm 135 năm Ngày sinh Chủ tịch Hồ Chí Minh"
    )
    assert "Ngày sinh Chủ tịch Hồ Chí Minh (19/5/1890 - 19/5/2025)." in doc.text
    assert "I - MỤC ĐÍCH, YÊU CẦU" in doc.text.split("\n")
    assert doc.kind == "plan"
    assert doc.approved_by == "Bùi Quang Nhựt"
    assert doc.date == ""


def test_txt_is_nfc_normalised(tmp_path: Path) -> None:
    decomposed = unicodedata.normalize("NFD", "Tăng cường công tác tuyên truyền.")
    doc = load(write(tmp_path / "nfd.txt", decomposed))
    assert doc.text == "Tăng cường công tác tuyên truyền."
    assert unicodedata.is_normalized("NFC", doc.text)


def test_txt_title_falls_back_to_the_first_line_never_the_file_name(tmp_path: Path) -> None:
    doc = load(write(tmp_path / "ghi_chu_sinh_hoat.txt", "Nội dung sinh hoạt chi bộ tháng 5."))
    assert doc.title == "Nội dung sinh hoạt chi bộ tháng 5."
    assert doc.text == "Nội dung sinh hoạt chi bộ tháng 5."  # a first-line title stays quotable


def test_txt_issue_date_is_read_from_the_header(tmp_path: Path) -> None:
    text = "Số 3-TB/ĐUK\nBình Định, ngày 15 tháng 10 năm 2024\n\nTHÔNG BÁO\nkết luận hội nghị\n"
    doc = load(write(tmp_path / "tb.txt", text + "\nNội dung thông báo."))
    assert doc.date == "15/10/2024"
    assert doc.title == "Thông báo số 3-TB/ĐUK kết luận hội nghị"


def test_txt_with_a_document_type_but_no_subject_takes_number_only(tmp_path: Path) -> None:
    assert load(write(tmp_path / "bc.txt", "Số 5-BC/ĐUK\n\nBÁO CÁO")).title == "Báo cáo số 5-BC/ĐUK"
    assert load(write(tmp_path / "kh.txt", "KẾ HOẠCH\n\n1. Nội dung.")).title == "Kế hoạch"


def test_txt_with_bom_and_utf16_are_read(tmp_path: Path) -> None:
    bom = load(write(tmp_path / "bom.txt", "\ufeffXin chào đồng chí.".encode()))
    utf16 = load(write(tmp_path / "u16.txt", "Xin chào đồng chí.".encode("utf-16")))
    assert bom.text == utf16.text == "Xin chào đồng chí."


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("Đoàn Thanh niên".encode("cp1258"), "không phải văn bản UTF-8"),
        (bytes(range(256)) * 4, "không phải văn bản UTF-8"),
        (b"abc\x00\x00\x01def", "dữ liệu nhị phân"),
        (b"", "tệp rỗng"),
        (b"\n \n\t\n12\n", "tệp rỗng"),
    ],
)
def test_unreadable_text_raises_with_a_vietnamese_reason(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    with pytest.raises(UnreadableFile, match=reason):
        load(write(tmp_path / "bad.txt", content))


# --- .md -----------------------------------------------------------------------------------

MD = """---
title: Bài phát biểu tại hội nghị
kind: speech
date: 2024-10-15
source: Đảng ủy Khối
approved_by: Ban Thường vụ
tags: [đại hội, tuyên truyền]
so_trang: 3
---
# Tiêu đề trong văn bản

## II - NỘI DUNG

Tiếp tục đẩy mạnh tuyên truyền các nội dung đã nêu tại **Mục 1, phần II**, Hướng dẫn
__này__ và [trang Đảng ủy Khối](https://example.invalid/a_b).

* Phân tích, làm rõ\\.

---

Kết thúc.
"""


def test_md_front_matter_and_markdown_are_read(tmp_path: Path) -> None:
    doc = load(write(tmp_path / "phat-bieu.md", MD))
    assert doc.title == "Bài phát biểu tại hội nghị"
    assert doc.kind == "speech"
    assert doc.date == "15/10/2024"
    assert doc.source == "Đảng ủy Khối"
    assert doc.approved_by == "Ban Thường vụ"
    assert doc.extra == {"tags": "đại hội, tuyên truyền", "so_trang": "3"}
    assert doc.text.split("\n\n") == [
        "# Tiêu đề trong văn bản",  # heading lines the chunker reads, never quotes
        "## II - NỘI DUNG",
        "Tiếp tục đẩy mạnh tuyên truyền các nội dung đã nêu tại Mục 1, phần II, Hướng dẫn\n"
        "này và trang Đảng ủy Khối.",
        "- Phân tích, làm rõ.",
        "Kết thúc.",
    ]


def test_md_without_front_matter_takes_its_first_heading_as_title(tmp_path: Path) -> None:
    doc = load(write(tmp_path / "tin.md", "# Tin **hoạt động** tháng 5\n\nNội dung tin."))
    assert doc.title == "Tin hoạt động tháng 5"
    assert doc.text == "Nội dung tin."  # the title goes to the source line
    assert doc.kind == "plan"


def test_md_with_windows_line_endings_keeps_its_front_matter(tmp_path: Path) -> None:
    text = "---\r\ntitle: Tin\r\nnguon: Báo\r\n---\r\nDòng một\r\nDòng hai.\r\n"
    doc = load(write(tmp_path / "crlf.md", text.encode()))
    assert (doc.title, doc.extra, doc.text) == ("Tin", {"nguon": "Báo"}, "Dòng một\nDòng hai.")


def test_md_kind_accepts_vietnamese_names(tmp_path: Path) -> None:
    doc = load(write(tmp_path / "a.md", "---\nkind: Bài viết\n---\nNội dung."))
    assert doc.kind == "article"
    assert doc.title == "Nội dung."


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("---\ntitle: [không đóng\n---\nNội dung.", "YAML .* không hợp lệ"),
        ("---\ntitle: Tiêu đề\nNội dung không có dòng đóng.", "thiếu dòng đóng"),
        ("---\n- một\n- hai\n---\nNội dung.", "khóa: giá trị"),
        ("---\nkind: poem\n---\nNội dung.", "kind không hợp lệ"),
        ("---\ntitle: Chỉ có phần đầu\n---\n", "tệp rỗng"),
    ],
)
def test_bad_md_raises_with_a_reason(tmp_path: Path, content: str, reason: str) -> None:
    with pytest.raises(UnreadableFile, match=reason):
        load(write(tmp_path / "bad.md", content))


def test_the_shipped_plan_loads_with_its_metadata() -> None:
    doc = load_document(PROJECT_KNOWLEDGE / SAMPLE_NAME, PROJECT_KNOWLEDGE)
    assert doc.path == SAMPLE_NAME
    assert doc.title.startswith("Kế hoạch số 10-KH/ĐUK tuyên truyền những chủ đề lớn")
    assert (doc.kind, doc.date, doc.approved_by) == ("plan", "", "Bùi Quang Nhựt")
    assert doc.source == "Ban Thường vụ Đảng ủy Khối cơ quan và doanh nghiệp tỉnh"
    assert "135 năm Ngày sinh Chủ tịch Hồ Chí Minh (19/5/1890" in doc.text
    assert "Ban Chấp hành Trung ương Đảng, Bộ Chính trị" in doc.text
    assert "đã nêu tại Mục 1, phần II, Hướng dẫn" in doc.text
    assert "1.1 - Tuyên truyền “Niềm tin mới, khí thế mới”" in doc.text.split("\n")


def test_the_shipped_plan_text_matches_the_original_copy() -> None:
    shared = PROJECT_KNOWLEDGE.parents[1] / "shared" / "knowledge" / "000_4ebf497a8b60bb1d.txt"
    if not shared.exists():
        pytest.skip("no shared/ beside the project")
    shipped = (PROJECT_KNOWLEDGE / SAMPLE_NAME).read_bytes()
    assert shipped.split(b"---\n", 2)[2] == shared.read_bytes()


# --- .docx ---------------------------------------------------------------------------------


def make_docx(path: Path) -> Path:
    document = docx.Document()
    header = document.add_table(rows=1, cols=2)
    header.cell(0, 0).text = "Số 7-KH/ĐUK"
    header.cell(0, 1).text = "Bình Định, ngày 02 tháng 01 năm 2025"
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("Tuyên truyền Đại hội Đảng bộ Khối lần thứ II")
    document.add_paragraph("I - MỤC ĐÍCH, YÊU CẦU")
    document.add_paragraph("Nâng cao nhận thức cho cán bộ, đảng viên.", style="List Number")
    document.add_paragraph("Bảo đảm xuyên suốt, đồng bộ.", style="List Number")
    document.add_paragraph("Phân tích, làm rõ bối cảnh.", style="List Bullet")
    document.add_paragraph("")
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).text = "Nội dung"
    table.cell(0, 1).merge(table.cell(0, 2)).text = "Thời gian"  # one cell over two columns
    for col, text in enumerate(["Hội nghị báo cáo viên", "Quý I", "2025"]):
        table.cell(1, col).text = text
    document.add_paragraph("Tăng cường viết tin, bài về những thành")
    document.add_paragraph("tự của đất nước.")
    document.save(str(path))
    return path


def test_docx_paragraphs_numbering_and_tables_in_order(tmp_path: Path) -> None:
    doc = load(make_docx(tmp_path / "ke-hoach-7.docx"))
    assert doc.text.split("\n\n") == [
        "Số 7-KH/ĐUK | Bình Định, ngày 02 tháng 01 năm 2025",
        "KẾ HOẠCH",
        "Tuyên truyền Đại hội Đảng bộ Khối lần thứ II",
        "I - MỤC ĐÍCH, YÊU CẦU",
        "1. Nâng cao nhận thức cho cán bộ, đảng viên.",
        "2. Bảo đảm xuyên suốt, đồng bộ.",
        "- Phân tích, làm rõ bối cảnh.",
        "Nội dung | Thời gian",
        "Hội nghị báo cáo viên | Quý I | 2025",
        "Tăng cường viết tin, bài về những thành tự của đất nước.",
    ]
    assert doc.title == "Kế hoạch số 7-KH/ĐUK Tuyên truyền Đại hội Đảng bộ Khối lần thứ II"
    assert doc.date == "02/01/2025"


def _cell(table, row: int, col: int, lines: list[str]) -> None:
    cell = table.cell(row, col)
    cell.text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def test_a_docx_letterhead_and_foot_set_in_two_columns_read_cell_by_cell(tmp_path: Path) -> None:
    # as an office sets them: a borderless table, each cell a few paragraphs; read as rows,
    # the document's number and the signer's name would run into the other column
    document = docx.Document()
    head = document.add_table(rows=1, cols=2)
    _cell(head, 0, 0, ["ĐẢNG BỘ XÃ TÂN PHÚ", "Số 45-KH/ĐU"])
    _cell(head, 0, 1, ["ĐẢNG CỘNG SẢN VIỆT NAM", "Tân Phú, ngày 12 tháng 3 năm 2025"])
    document.add_paragraph("Các chi bộ gửi danh sách thí sinh về Văn phòng Đảng ủy xã.")
    foot = document.add_table(rows=1, cols=2)
    _cell(foot, 0, 0, ["Nơi nhận:", "- Các chi bộ trực thuộc,", "- Lưu VP."])
    _cell(foot, 0, 1, ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "", "Trần Thị Mai"])
    document.save(str(tmp_path / "hoi-thi.docx"))
    doc = load(tmp_path / "hoi-thi.docx")
    assert doc.text.split("\n\n") == [
        "ĐẢNG BỘ XÃ TÂN PHÚ",
        "Số 45-KH/ĐU",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Tân Phú, ngày 12 tháng 3 năm 2025",
        "Các chi bộ gửi danh sách thí sinh về Văn phòng Đảng ủy xã.",
        "Nơi nhận:",
        "- Các chi bộ trực thuộc,",
        "- Lưu VP.",
        "T/M BAN THƯỜNG VỤ",
        "PHÓ BÍ THƯ",
        "Trần Thị Mai",
    ]
    assert doc.date == "12/3/2025"  # the issue date it writes


def test_corrupt_docx_raises_a_library_error(tmp_path: Path) -> None:
    with pytest.raises(Exception):  # noqa: B017 - any library error; load_directory reports it
        load(write(tmp_path / "hong.docx", b"PK\x03\x04 this is not a zip"))


# --- .pdf ----------------------------------------------------------------------------------

BODY = (
    "- Phan tich, lam ro boi canh tinh hinh, nhung thoi co, thuan loi, kho khan, thach thuc "
    "tac dong den nuoc ta tu dau nhiem ky, qua do khang dinh su lanh dao, chi dao sau sat, "
    "hieu qua, kip thoi cua Ban"
)


def make_pdf(path: Path, pages: list[list[str]], font: Path | None = None) -> Path:
    fpdf = pytest.importorskip("fpdf")

    class Printed(fpdf.FPDF):
        def footer(self) -> None:
            self.set_y(-15)
            self.cell(0, 7, str(self.page_no()), align="C")  # the page number PDF copies carry

    pdf = Printed(format="A4")
    if font is None:
        pdf.set_font("Helvetica", size=12)
    else:
        pdf.add_font("Body", fname=str(font))
        pdf.set_font("Body", size=12)
    for paragraphs in pages:
        pdf.add_page()
        for paragraph in paragraphs:
            pdf.multi_cell(0, 7, paragraph, new_x="LMARGIN", new_y="NEXT", align="J")
    pdf.output(str(path))
    return path


def test_pdf_ascii_pages_are_unwrapped_and_the_page_break_repaired(tmp_path: Path) -> None:
    pages = [
        ["I - MUC DICH, YEU CAU", BODY],
        ["Chap hanh Trung uong Dang, Bo Chinh tri, Ban Bi thu.", "2. Ban Chi dao 35"],
    ]
    doc = load(make_pdf(tmp_path / "ascii.pdf", pages))
    assert doc.text.split("\n\n") == [
        "I - MUC DICH, YEU CAU",
        BODY + " Chap hanh Trung uong Dang, Bo Chinh tri, Ban Bi thu.",
        "2. Ban Chi dao 35",
    ]
    assert doc.title == "ascii"


def test_pdf_vietnamese_text_is_extracted_and_repaired(tmp_path: Path) -> None:
    if not DEJAVU.exists():
        pytest.skip("DejaVuSans.ttf (Vietnamese glyphs) is not installed")
    sentence = "tuyên truyền kỷ niệm các ngày lễ lớn, sự kiện lịch sử quan trọng của đất nước; " * 3
    pages = [
        ["Số 10-KH/ĐUK", "KẾ HOẠCH", "tuyên truyền những chủ đề lớn, trọng tâm",
         "- " + sentence + "135 năm Ngày sinh Chủ"],
        ["tịch Hồ Chí Minh (19/5/1890 - 19/5/2025).", "Nơi nhận:", "- Lưu VP.", "Bùi Quang Nhựt"],
    ]  # fmt: skip
    doc = load(make_pdf(tmp_path / "vi.pdf", pages, font=DEJAVU))
    assert doc.title == "Kế hoạch số 10-KH/ĐUK tuyên truyền những chủ đề lớn, trọng tâm"
    assert "135 năm Ngày sinh Chủ tịch Hồ Chí Minh (19/5/1890 - 19/5/2025)." in doc.text
    assert doc.text.split("\n\n")[-3:] == ["Nơi nhận:", "- Lưu VP.", "Bùi Quang Nhựt"]
    assert doc.approved_by == "Bùi Quang Nhựt"
    assert unicodedata.is_normalized("NFC", doc.text)


def test_the_sample_plan_as_a_multi_page_pdf_reads_like_its_text_copy(tmp_path: Path) -> None:
    if not DEJAVU.exists():
        pytest.skip("DejaVuSans.ttf (Vietnamese glyphs) is not installed")
    text = load_document(PROJECT_KNOWLEDGE / SAMPLE_NAME, PROJECT_KNOWLEDGE).text
    paragraphs = text.split("\n\n")
    # Printed, each paragraph flows over justified lines and across pages; the PDF copy has
    # a line per visual line, so a list written line by line comes back as one item each.
    expected = []
    for paragraph in paragraphs:
        lines = paragraph.split("\n")
        expected.extend(lines if lines[0].startswith("- ") else [" ".join(lines)])
    doc = load(make_pdf(tmp_path / "ke-hoach.pdf", [paragraphs], font=DEJAVU))
    assert doc.text.split("\n\n") == expected


def test_pdf_without_a_text_layer_is_unreadable(tmp_path: Path) -> None:
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 50, style="F")  # a scanned page is an image, not text
    pdf.output(str(tmp_path / "scan.pdf"))
    with pytest.raises(UnreadableFile, match="không có lớp chữ"):
        load(tmp_path / "scan.pdf")


# --- .html ---------------------------------------------------------------------------------

HTML = """<!doctype html><html><head><meta charset="utf-8">
<title>Tuyên truyền Đại hội XIV</title><style>p { color: red }</style></head>
<body><nav><a href="/">Trang chủ</a> | <a href="/tin">Tin tức</a></nav>
<article><h1>Tin hoạt động</h1>
<p>Đảng ủy Khối   tổ chức
hội nghị <b>quán triệt</b> Kế hoạch.</p>
<ul><li>Phân tích, làm rõ;</li><li>Khẳng định.</li></ul>
<ol start="2"><li>Hai</li><li>Ba</li></ol>
<table><tr><th>Nội dung</th><th>Thời gian</th></tr><tr><td>Hội nghị</td><td>Quý I</td></tr></table>
<p>Dòng một<br>Dòng hai</p><script>alert("x")</script></article>
<footer>Bản quyền</footer></body></html>"""


def test_html_blocks_become_paragraphs_and_boilerplate_is_dropped(tmp_path: Path) -> None:
    doc = load(write(tmp_path / "tin.html", HTML))
    assert doc.title == "Tin hoạt động"  # the article's own heading, not the site's <title>
    assert doc.kind == "article"
    # trafilatura keeps the article: its menu, footer and script are gone; it numbers an
    # <ol start="2"> from 1 (a known limitation) and makes a <br> a paragraph break
    assert doc.text.split("\n\n") == [
        "Đảng ủy Khối tổ chức hội nghị quán triệt Kế hoạch.",
        "- Phân tích, làm rõ;\n- Khẳng định.",
        "1. Hai\n2. Ba",
        "Nội dung | Thời gian",
        "Hội nghị | Quý I",
        "Dòng một",
        "Dòng hai",
    ]
    assert "Trang chủ" not in doc.text and "Bản quyền" not in doc.text and "alert" not in doc.text
    assert "Đảng ủy Khối tổ chức" in doc.text and "Hội nghị | Quý I" in doc.text


def test_html_title_falls_back_to_h1_and_legacy_charset_is_read(tmp_path: Path) -> None:
    page = '<html><head><meta charset="windows-1258"></head><body><h1>Tin Đoàn</h1><p>Đoàn.</p>'
    doc = load(write(tmp_path / "cu.htm", page.encode("cp1258")))
    assert doc.title == "Tin Đoàn"
    assert doc.text == "Đoàn."


# --- load_directory ------------------------------------------------------------------------


def test_directory_loads_good_files_and_reports_bad_ones(tmp_path: Path) -> None:
    root = tmp_path / "knowledge"
    write(root / "b.txt", PLAN_TXT)
    write(root / "a" / "tin.md", "# Tin\n\nNội dung.")
    make_docx(root / "a" / "ke-hoach.docx")
    write(root / "tin.html", HTML)
    write(root / "hong.docx", b"PK\x03\x04 not a zip")
    with zipfile.ZipFile(root / "rong.docx", "w") as archive:
        archive.writestr("hello.txt", "a zip that is not a Word document")
    write(root / "hong.pdf", b"%PDF-1.4\n%garbage with no objects\n")
    write(root / "rac.txt", bytes(range(128, 256)))
    write(root / "yaml.md", "---\ntitle: [\n---\nNội dung.")
    write(root / "rong.txt", "")
    write(root / "cu.doc", b"\xd0\xcf\x11\xe0 old Word")
    write(root / "bang.xlsx", b"PK")
    # Ignored silently: hidden, README, Office lock files, backups, images.
    write(root / ".an.txt", "ẩn")
    write(root / ".git" / "config.txt", "ẩn")
    write(root / "README.md", "# Hướng dẫn thư mục")
    write(root / "~$ke-hoach.docx", b"lock")
    write(root / "b.txt~", "sao lưu")
    write(root / "anh.png", b"\x89PNG")

    documents, skipped = load_directory(root)

    assert [d.path for d in documents] == ["a/ke-hoach.docx", "a/tin.md", "b.txt", "tin.html"]
    reasons = {s.path: s.reason for s in skipped}
    assert list(reasons) == sorted(reasons)
    assert set(reasons) == {
        "bang.xlsx", "cu.doc", "hong.docx", "hong.pdf", "rac.txt", "rong.docx", "rong.txt",
        "yaml.md",
    }  # fmt: skip
    assert reasons["hong.docx"].startswith("không đọc được tệp Word (.docx): ")
    assert reasons["rong.docx"].startswith("không đọc được tệp Word (.docx): ")
    assert reasons["hong.pdf"].startswith("không đọc được tệp PDF: ")
    assert reasons["rac.txt"].startswith("không phải văn bản UTF-8")
    assert reasons["rong.txt"] == "tệp rỗng"
    assert reasons["yaml.md"].startswith("phần đầu YAML (front matter) không hợp lệ")
    assert reasons["cu.doc"] == "định dạng .doc chưa được hỗ trợ; hãy lưu lại thành .docx"
    assert reasons["bang.xlsx"] == "định dạng .xlsx chưa được hỗ trợ"
    assert all(isinstance(s, SkippedFile) and len(s.reason) < 250 for s in skipped)
    assert knowledge_files(root) == sorted(
        root / p for p in
        ["a/ke-hoach.docx", "a/tin.md", "b.txt", "hong.docx", "hong.pdf", "rac.txt",
         "rong.docx", "rong.txt", "tin.html", "yaml.md"]
    )  # fmt: skip


def test_directory_of_the_project_loads_the_sample_plan() -> None:
    documents, skipped = load_directory(PROJECT_KNOWLEDGE)
    assert skipped == []
    assert SAMPLE_NAME in [d.path for d in documents]


def test_missing_or_empty_directory_gives_nothing(tmp_path: Path) -> None:
    assert load_directory(tmp_path) == ([], [])
    assert load_directory(tmp_path / "khong-co") == ([], [])


def test_supported_suffixes() -> None:
    assert {".txt", ".md", ".docx", ".pdf", ".html", ".htm"} == SUPPORTED_SUFFIXES
