"""Text of a PDF: its text layer without running headers and footers, its outline as headings."""

from __future__ import annotations

import re
from pathlib import Path

from bot.knowledge.formats import UnreadableFile, heading_marker


def pdf_text(path: Path) -> tuple[dict[str, str], str]:
    """(properties, text) of a PDF: running headers, footers and page numbers dropped,
    outline entries marked as headings, the title from the document information."""
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except Exception as exc:  # pypdf needs an extra package for AES: same answer for us
            raise UnreadableFile("tệp PDF được mã hóa, không mở được") from exc
        if not opened:
            raise UnreadableFile("tệp PDF có mật khẩu")
    pages = [page.extract_text() or "" for page in reader.pages]
    if not any(page.strip() for page in pages):
        raise UnreadableFile("tệp PDF không có lớp chữ (có thể là bản scan ảnh)")
    meta: dict[str, str] = {}
    info = reader.metadata
    if info is not None and info.title and info.title.strip():
        meta["title"] = " ".join(str(info.title).split())
    pages = _drop_running_lines(pages)
    text = "\n\n".join(pages)
    outline = _outline_levels(reader)
    if outline:
        text = _mark_outline(text, outline)
    return meta, text


def _page_key(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split()).lower())


def _drop_running_lines(pages: list[str]) -> list[str]:
    """Remove lines that open or close most pages (running headers, footers, "Trang 3")."""
    if len(pages) < 2:
        return pages
    split = [[ln for ln in page.split("\n")] for page in pages]
    counts: dict[str, int] = {}
    for lines in split:
        filled = [ln for ln in lines if ln.strip()]
        for key in {_page_key(ln) for ln in filled[:2] + filled[-2:]}:
            counts[key] = counts.get(key, 0) + 1
    running = {k for k, n in counts.items() if n >= max(2, (len(pages) + 1) // 2)}
    out = []
    for lines in split:
        filled = [i for i, ln in enumerate(lines) if ln.strip()]
        edge = set(filled[:2] + filled[-2:])
        kept = (ln for i, ln in enumerate(lines) if not (i in edge and _page_key(ln) in running))
        out.append("\n".join(kept))
    return out


def _outline_levels(reader) -> dict[str, int]:
    """Outline (bookmark) titles and their depth, 1 for the top level."""
    found: dict[str, int] = {}

    def walk(items, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                title = " ".join(str(getattr(item, "title", "") or "").split())
                if title:
                    found.setdefault(title, depth)

    try:
        walk(reader.outline, 1)
    except Exception:  # a damaged outline costs the structure, never the text
        return {}
    return found


def _mark_outline(text: str, outline: dict[str, int]) -> str:
    """Mark as headings the lines (or runs of lines, when wrapped) that are outline titles."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        for span in (1, 2, 3):
            joined = " ".join(" ".join(lines[i : i + span]).split())
            if joined in outline:
                out.append(heading_marker(outline[joined], joined))
                i += span
                break
        else:
            out.append(lines[i])
            i += 1
    return "\n".join(out)
