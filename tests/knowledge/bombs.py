"""Hostile documents, generated small: the shapes a fault-and-abuse review used against us."""

from __future__ import annotations

import zipfile
from pathlib import Path

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
)
_TAIL = "</w:body></w:document>"


def docx(path: Path, body_blocks, *, level: int = 9) -> Path:
    """A minimal .docx whose document.xml body is written block by block (bytes or str)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _RELS)
        with zf.open("word/document.xml", "w", force_zip64=True) as fh:
            fh.write(_HEAD.encode())
            for block in body_blocks:
                fh.write(block.encode() if isinstance(block, str) else block)
            fh.write(_TAIL.encode())
    return path


def empty_paragraphs(path: Path, count: int) -> Path:
    """A tiny .docx of `count` empty paragraphs (10^5: a few kB)."""
    step = 10_000
    return docx(path, ("<w:p/>" * min(step, count - i) for i in range(0, count, step)))


def paragraphs(path: Path, texts: list[str]) -> Path:
    return docx(path, (f"<w:p><w:r><w:t>{t}</w:t></w:r></w:p>" for t in texts))


def inflating_xml(path: Path, megabytes: int) -> Path:
    """A .docx whose document.xml decompresses to `megabytes` MB of whitespace."""
    block = b" " * 1_000_000
    return docx(path, (block for _ in range(megabytes)), level=1)


def many_pages_pdf(path: Path, pages: int) -> Path:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=72, height=72)
    with open(path, "wb") as fh:
        writer.write(fh)
    return path


def nested_html(path: Path, depth: int) -> Path:
    path.write_text(
        "<html><body>" + "<div>" * depth + "Sâu" + "</div>" * depth + "</body></html>",
        encoding="utf-8",
    )
    return path
