"""Write the multi-document bench set's knowledge base as an office would: real .docx and .pdf.

    python bench/multidoc/make_documents.py        # needs pandoc and soffice (LibreOffice)

Word files come from pandoc (Title, Heading and list styles, real tables); their core
properties (title, created) are set as Word sets them. PDFs are those Word files with a page
header, a footer with the page number and a page break before each part, printed by
LibreOffice (`soffice --headless --convert-to pdf`). The news pages keep their site's menu,
sidebar and footer. The sample plan is copied in, so the set is "the plan plus 8 documents".
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))

import sources  # noqa: E402

OUT = HERE / "knowledge"


def _pandoc_docx(markdown: str, target: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "source.md"
        src.write_text(markdown, encoding="utf-8")
        subprocess.run(
            ["pandoc", "-f", "markdown", "-t", "docx", "-o", str(target), str(src)], check=True
        )


def _set_properties(path: Path, title: str, created: dt.datetime | None) -> None:
    import docx

    document = docx.Document(str(path))
    props = document.core_properties
    props.title = title
    props.author = "Văn phòng Đảng ủy xã Tân Phú"
    if created is not None:
        props.created = created
        props.modified = created
    document.save(str(path))


def _add_page_furniture(path: Path, header: str) -> None:
    """A running header, "Trang N" in the footer, and each top-level part on a new page."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document(str(path))
    section = document.sections[0]
    section.header.paragraphs[0].text = header
    footer = section.footer.paragraphs[0]
    footer.text = "Trang "
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    footer._p.append(field)
    first = True
    for paragraph in document.paragraphs:
        if paragraph.style.name == "Heading 1":
            if not first:
                paragraph.paragraph_format.page_break_before = True
            first = False
    document.save(str(path))


def _to_pdf(docx_path: Path, target: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "pdf", "--outdir", tmp, str(docx_path)],
            check=True,
            capture_output=True,
        )
        shutil.move(Path(tmp) / (docx_path.stem + ".pdf"), target)


def main() -> int:
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    for plan in (ROOT / "knowledge").glob("*.md"):
        shutil.copy(plan, OUT / plan.name)

    word = [
        ("ke-hoach-hoi-thi-lich-su.docx", sources.HOI_THI, dt.datetime(2025, 3, 12, 8, 0)),
        ("bao-cao-so-ket-6-thang.docx", sources.SO_KET, dt.datetime(2025, 7, 5, 9, 0)),
    ]
    for name, text, created in word:
        _pandoc_docx(text, OUT / name)
        _set_properties(OUT / name, text.split('title: "', 1)[1].split('"', 1)[0], created)

    printed = [
        ("quy-che-sinh-hoat-chi-bo.pdf", sources.QUY_CHE, "Đảng ủy xã Tân Phú — Quy chế sinh hoạt"),
        ("huong-dan-dai-hoi-chi-bo.pdf", sources.DAI_HOI, "Hướng dẫn số 08-HD/ĐU — Đại hội chi bộ"),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for name, text, header in printed:
            draft = Path(tmp) / (Path(name).stem + ".docx")
            _pandoc_docx(text, draft)
            _set_properties(draft, text.split('title: "', 1)[1].split('"', 1)[0], None)
            _add_page_furniture(draft, header)
            _to_pdf(draft, OUT / name)

    (OUT / "tin-hoi-nghi-bao-cao-vien.html").write_text(sources.TIN_HOI_NGHI, encoding="utf-8")
    (OUT / "thong-bao-lich-tiep-dan.html").write_text(sources.LICH_TIEP, encoding="utf-8")
    (OUT / "chuong-trinh-chuyen-doi-so.md").write_text(sources.CHUYEN_DOI_SO, encoding="utf-8")
    (OUT / "huong-dan-so-tay-dang-vien.md").write_text(sources.SO_TAY, encoding="utf-8")
    for path in sorted(OUT.iterdir()):
        print(f"{path.stat().st_size:8d}  {path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
