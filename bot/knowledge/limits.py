"""Limits a knowledge file is checked against before any parser sees it.

A hostile or broken file (a .docx whose XML inflates to gigabytes, a million empty
paragraphs, a PDF of ten thousand pages, HTML nested a hundred thousand deep) is refused
here with a Vietnamese reason, cheaply: zip members by their declared sizes (zipfile never
yields more than a member declares), paragraphs by streaming the XML, pages by the PDF's
page count. What slips through is still bounded by the sandbox's time and memory limits.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from bot.knowledge.formats import UnreadableFile

MB = 1_000_000


@dataclass(frozen=True)
class ParseLimits:
    """What one document may cost; the defaults fit the largest real Party documents."""

    max_file_bytes: int = 50 * MB  # on disk (uploads stop at BOT_MAX_UPLOAD_MB anyway)
    max_text_file_bytes: int = 20 * MB  # .txt .md .html: parsed whole in memory
    max_unpacked_bytes: int = 200 * MB  # a .docx's members, decompressed
    max_zip_members: int = 5_000
    # a 500-page document has about 10 000; python-docx spends ~1 ms on each (Nov 2026)
    max_paragraphs: int = 30_000
    max_pages: int = 2_000
    max_html_tags: int = 300_000
    max_html_depth: int = 1_000
    max_text_chars: int = 20_000_000  # extracted text, before chunking
    max_output_bytes: int = 200 * MB  # the passages sent back from the sandbox
    seconds: float = 120.0  # wall time to parse and chunk one file
    memory_bytes: int = 1_500 * MB  # address space of the parsing process


def check_before_parsing(path: Path, limits: ParseLimits) -> None:
    """Raise `UnreadableFile` naming the limit a file exceeds; return when it may be parsed."""
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise UnreadableFile(_over("tệp", size, limits.max_file_bytes))
    suffix = path.suffix.lower()
    if suffix == ".docx":
        _check_docx(path, limits)
    elif suffix == ".pdf":
        _check_pdf(path, limits)
    elif suffix in (".txt", ".md", ".html", ".htm"):
        if size > limits.max_text_file_bytes:
            raise UnreadableFile(_over("tệp văn bản", size, limits.max_text_file_bytes))
        if suffix in (".html", ".htm"):
            _check_html(path.read_bytes(), limits)


def _over(what: str, size: int, limit: int) -> str:
    return f"{what} quá lớn: {size / MB:.1f} MB, giới hạn {limit / MB:.0f} MB"


# Any namespace prefix: python-docx matches paragraphs by namespace, not by the "w:" prefix.
_PARAGRAPH = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?p[\s/>]")


def _check_docx(path: Path, limits: ParseLimits) -> None:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnreadableFile(
            "không phải tệp Word (.docx) hợp lệ (hỏng hoặc sai định dạng)"
        ) from exc
    with archive:
        members = archive.infolist()
        if len(members) > limits.max_zip_members:
            raise UnreadableFile(
                f"tệp Word có {len(members)} thành phần, giới hạn {limits.max_zip_members}"
            )
        unpacked = sum(m.file_size for m in members)
        if unpacked > limits.max_unpacked_bytes:
            raise UnreadableFile(
                f"tệp Word giải nén ra {unpacked / MB:.0f} MB, "
                f"giới hạn {limits.max_unpacked_bytes / MB:.0f} MB (có thể là tệp độc hại)"
            )
        paragraphs = 0
        for member in members:
            if member.filename.startswith("word/") and member.filename.endswith(".xml"):
                paragraphs += _count_paragraphs(archive, member)
                if paragraphs > limits.max_paragraphs:
                    most = f"{limits.max_paragraphs:,}".replace(",", ".")
                    raise UnreadableFile(f"tệp Word có hơn {most} đoạn văn, vượt giới hạn xử lý")


def _count_paragraphs(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> int:
    count, tail = 0, b""
    try:
        with archive.open(member) as fh:
            while block := fh.read(1 << 20):
                data = tail + block
                # a tag cut by the block boundary is counted in the next round, never twice
                cut = max(0, len(data) - 64)
                count += len(_PARAGRAPH.findall(data, 0, cut))
                tail = data[cut:]
        return count + len(_PARAGRAPH.findall(tail))
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as exc:
        raise UnreadableFile(f"tệp Word hỏng ({member.filename} không giải nén được)") from exc


def _check_pdf(path: Path, limits: ParseLimits) -> None:
    from pypdf import PdfReader

    try:
        reader = PdfReader(str(path))
        declared = reader.trailer["/Root"]["/Pages"].get("/Count", 0)
        pages = int(declared) if isinstance(declared, int) else len(reader.pages)
    except UnreadableFile:
        raise
    except Exception:  # the extractor reports a damaged PDF with its own reason
        return
    if pages > limits.max_pages:
        raise UnreadableFile(f"tệp PDF có {pages} trang, giới hạn {limits.max_pages} trang")


_TAG = re.compile(rb"<(/?)([A-Za-z][A-Za-z0-9]*)[^>]*?(/?)>")
# Void elements, and those HTML closes by itself: neither nests the next element inside.
_FLAT = frozenset(
    b"area base br col embed hr img input link meta source track wbr "
    b"p li dt dd tr td th option tbody thead tfoot colgroup".split()
)


def _check_html(data: bytes, limits: ParseLimits) -> None:
    depth = deepest = tags = 0
    for match in _TAG.finditer(data):
        tags += 1
        if tags > limits.max_html_tags:
            raise UnreadableFile(f"tệp HTML có hơn {limits.max_html_tags} thẻ, vượt giới hạn")
        closing, name, self_closing = match.groups()
        if name.lower() in _FLAT or self_closing:
            continue
        depth = max(0, depth - 1) if closing else depth + 1
        deepest = max(deepest, depth)
        if deepest > limits.max_html_depth:
            raise UnreadableFile(
                f"tệp HTML lồng nhau quá sâu (hơn {limits.max_html_depth} cấp), vượt giới hạn"
            )
