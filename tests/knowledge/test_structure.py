"""Structure from every format: Word styles and properties, PDF outline and running lines,
a web page's article only, Markdown headings — all feeding one section tree."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import pytest

from bot.knowledge.chunking import chunk_document, shorten
from bot.knowledge.document import Document
from bot.knowledge.loaders import load_document


def load(path: Path) -> Document:
    return load_document(path, path.parent)


def make_styled_docx(path: Path, *, written_date: bool) -> Path:
    document = docx.Document()
    document.core_properties.title = "Kế hoạch hội thi lịch sử Đảng bộ xã"
    document.core_properties.created = dt.datetime(2025, 3, 1, 8, 0)
    document.add_paragraph("KẾ HOẠCH HỘI THI LỊCH SỬ ĐẢNG BỘ XÃ", style="Title")
    if written_date:
        document.add_paragraph("Tân Phú, ngày 12 tháng 3 năm 2025")
    document.add_paragraph("I. MỤC ĐÍCH", style="Heading 1")
    document.add_paragraph("Giáo dục truyền thống cách mạng cho đoàn viên.")
    document.add_paragraph("II. THỜI GIAN", style="Heading 1")
    document.add_paragraph("Vòng sơ khảo", style="Heading 2")
    document.add_paragraph("Vòng sơ khảo tổ chức ngày 20 tháng 4 năm 2025 tại các chi bộ.")
    document.add_paragraph("Mỗi chi bộ cử ba thí sinh.", style="List Number")
    table = document.add_table(rows=2, cols=2)
    for col, text in enumerate(["Giải", "Mức thưởng"]):
        table.cell(0, col).text = text
    for col, text in enumerate(["Giải Nhất", "3.000.000 đồng"]):
        table.cell(1, col).text = text
    document.save(str(path))
    return path


def test_docx_styles_become_the_section_tree_and_the_title_leaves_the_text(tmp_path) -> None:
    doc = load(make_styled_docx(tmp_path / "ke-hoach-hoi-thi.docx", written_date=True))
    assert doc.title == "Kế hoạch hội thi lịch sử Đảng bộ xã"  # core properties, not the slug
    assert doc.date == "12/3/2025"  # the date written in it beats the file's own
    assert "KẾ HOẠCH HỘI THI" not in doc.text
    chunks = chunk_document(doc)
    by_text = {c.units[-1]: c for c in chunks}
    first = next(c for c in chunks if "Giáo dục truyền thống" in c.text)
    assert first.section == "I. Mục đích"
    item = next(c for c in chunks if "Vòng sơ khảo tổ chức" in c.text)
    assert item.section.startswith("II. Thời gian › Vòng sơ khảo")
    assert any("Giải Nhất | 3.000.000 đồng" in c.text for c in chunks)
    assert all("#" not in c.text for c in chunks)  # heading marks are never quoted
    assert by_text  # the document yields passages


def test_docx_date_comes_from_its_properties_when_none_is_written(tmp_path) -> None:
    doc = load(make_styled_docx(tmp_path / "a.docx", written_date=False))
    assert doc.date == "01/03/2025"


def make_printed_pdf(path: Path) -> Path:
    fpdf = pytest.importorskip("fpdf")

    class Printed(fpdf.FPDF):
        def header(self) -> None:
            self.cell(0, 7, "Dang uy xa Tan Phu - Quy che sinh hoat", align="C")
            self.ln(10)

        def footer(self) -> None:
            self.set_y(-15)
            self.cell(0, 7, f"Trang {self.page_no()}", align="C")

    pdf = Printed(format="A4")
    pdf.set_title("Quy che sinh hoat chi bo")
    pdf.set_font("Helvetica", size=12)
    parts = [
        ("Chuong I. Quy dinh chung", "Dieu 1. Pham vi", "Quy che ap dung cho cac chi bo ap."),
        ("Chuong II. Noi dung", "Dieu 3. Sinh hoat thuong ky", "Chi bo hop moi thang mot lan."),
    ]
    for chapter, article, body in parts:
        pdf.add_page()
        pdf.start_section(chapter, level=0)
        pdf.multi_cell(0, 7, chapter, new_x="LMARGIN", new_y="NEXT")
        pdf.start_section(article, level=1)
        pdf.multi_cell(0, 7, article, new_x="LMARGIN", new_y="NEXT")
        pdf.multi_cell(0, 7, body, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def test_pdf_running_header_footer_dropped_and_outline_gives_sections(tmp_path) -> None:
    doc = load(make_printed_pdf(tmp_path / "quy-che.pdf"))
    assert doc.title == "Quy che sinh hoat chi bo"  # the document information, not "quy-che"
    assert "Quy che sinh hoat\n" not in doc.text and "Trang 1" not in doc.text
    assert "Dang uy xa Tan Phu" not in doc.text
    chunks = chunk_document(doc)
    body = next(c for c in chunks if "moi thang mot lan" in c.text)
    assert body.section == "Chuong II. Noi dung › Dieu 3. Sinh hoat thuong ky"


SITE = """<!doctype html><html><head><meta charset="utf-8">
<title>Hội nghị báo cáo viên quý II - Cổng thông tin xã</title>
<meta property="article:published_time" content="2025-06-24T08:30:00+07:00"></head>
<body><div class="menu"><a href="/">Trang chủ</a> <a href="/tin">Tin tức</a></div>
<div class="breadcrumb">Trang chủ › Tin tức</div>
<div class="content"><h1>Hội nghị báo cáo viên quý II</h1>
<p>Sáng ngày 23 tháng 6 năm 2025, Ban Tuyên giáo Đảng ủy xã tổ chức Hội nghị báo cáo viên quý II
nhằm thông tin thời sự cho đội ngũ báo cáo viên của các chi bộ.</p>
<p>Dự hội nghị có 35 báo cáo viên, tuyên truyền viên của các chi bộ ấp và các đoàn thể.</p>
<h2>Định hướng quý III</h2>
<p>Hội nghị định hướng tuyên truyền về đại hội chi bộ và phong trào chuyển đổi số ở địa phương.</p>
<div class="share">Chia sẻ Facebook Zalo</div></div>
<div class="sidebar"><h3>Tin liên quan</h3>
<a href="/1">Xã ra quân làm sạch đường làng ngõ xóm</a></div>
<div class="footer">Bản quyền © Cổng thông tin xã. Điện thoại 0272 3888 999.</div>
</body></html>"""


def test_html_keeps_the_article_its_headings_title_and_date(tmp_path) -> None:
    path = tmp_path / "tin.html"
    path.write_text(SITE, encoding="utf-8")
    doc = load(path)
    assert doc.title == "Hội nghị báo cáo viên quý II"
    assert doc.date == "24/06/2025"
    for chrome in ("Trang chủ", "Tin liên quan", "Bản quyền", "làm sạch đường làng"):
        assert chrome not in doc.text
    chunks = chunk_document(doc)
    assert any(c.section == "Định hướng quý III" and "chuyển đổi số" in c.text for c in chunks)


def test_md_headings_are_sections_and_their_marks_never_quoted(tmp_path) -> None:
    path = tmp_path / "so-tay.md"
    path.write_text(
        "# Hướng dẫn sử dụng Sổ tay đảng viên\n\n## Cài đặt\n\nTải ứng dụng về điện thoại.\n\n"
        "## Hỗ trợ\n\nKhi quên mật khẩu, liên hệ văn phòng.\n",
        encoding="utf-8",
    )
    doc = load(path)
    assert doc.title == "Hướng dẫn sử dụng Sổ tay đảng viên"
    assert doc.date == ""  # none known: none invented
    chunks = chunk_document(doc)
    assert [c.section for c in chunks] == ["Cài đặt", "Hỗ trợ"]
    assert chunks[1].text == "Hỗ trợ\nKhi quên mật khẩu, liên hệ văn phòng."
    assert chunks[1].headings == 1


def test_shorten_cuts_at_a_phrase_or_word_boundary() -> None:
    text = "Nâng cao nhận thức cho cán bộ, đảng viên, công chức, viên chức và người lao động"
    cut = shorten(text, 55)
    assert len(cut) <= 55 and cut.endswith("…")
    assert cut == "Nâng cao nhận thức cho cán bộ, đảng viên, công chức…"
    assert shorten("ngắn", 50) == "ngắn"
    assert shorten("một hai ba bốn năm sáu bảy", 12) == "một hai ba…"
