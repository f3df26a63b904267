"""Raw text out of Word, PDF and HTML files, before NFC and repair.

Each extractor returns paragraphs separated by blank lines, so the repair step sees the
same shape whatever the format. They raise `UnreadableFile` with a Vietnamese reason for
conditions an admin can fix, and let library errors through for the loader to report.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

from bot.errors import BotError


class UnreadableFile(BotError):
    """A knowledge file that cannot be turned into text; the message says why, in Vietnamese."""


def heading_marker(level: int, text: str) -> str:
    """A heading line as every extractor hands it to the chunker: "## Điều 3. …"."""
    return f"{'#' * min(max(level, 1), 6)} {' '.join(text.split())}"


_HEADING_STYLE = re.compile(r"^(?:heading|đề mục|tiêu đề)\s*([1-9])$", re.IGNORECASE)


def docx_text(path: Path) -> tuple[dict[str, str], str]:
    """(properties, text) of a .docx: Title/Heading styles become heading lines, list
    paragraphs keep Word's numbers, tables their rows; title and created date from the core
    properties, else the first Title paragraph."""
    import docx
    from docx.table import Table

    document = docx.Document(str(path))
    numbering = _Numbering(document)
    meta: dict[str, str] = {}
    props = document.core_properties
    if props.title and props.title.strip():
        meta["title"] = " ".join(props.title.split())
    if props.created is not None:
        meta["date"] = props.created.strftime("%d/%m/%Y")
    blocks: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            blocks.extend(_table_rows(item))
            continue
        text = item.text
        style = (item.style.name if item.style is not None else "") or ""
        if style.lower() in ("title", "tiêu đề"):
            meta.setdefault("title", " ".join(text.split()))
            continue  # the title goes to the source line, never into a passage
        if style.lower() in ("subtitle", "date", "author"):
            blocks.append(text)
            continue
        label = numbering.label(item)
        if label and text.strip():
            text = f"{label} {text}"
        level = _HEADING_STYLE.match(style.strip())
        if level and text.strip():
            blocks.append(heading_marker(int(level.group(1)), text))
        else:
            blocks.append(text)
    return meta, "\n\n".join(blocks)


def _table_rows(table) -> list[str]:
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            # python-docx repeats a merged cell once per grid column it spans.
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            text = " ".join(cell.text.split())
            if text:
                cells.append(text)
        if cells:
            rows.append(" | ".join(cells))
    return rows


class _Numbering:
    """Recomputes the labels Word draws for numbered and bulleted paragraphs."""

    def __init__(self, document) -> None:
        from docx.oxml.ns import qn

        self._qn = qn
        self._levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self._counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return
        abstracts = {a.get(qn("w:abstractNumId")): a for a in root.findall(qn("w:abstractNum"))}
        for num in root.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            abstract = abstracts.get(ref.get(qn("w:val")) if ref is not None else None)
            if abstract is None:
                continue
            levels = {}
            for lvl in abstract.findall(qn("w:lvl")):
                levels[int(lvl.get(qn("w:ilvl"), "0"))] = (
                    self._val(lvl, "w:numFmt", "decimal"),
                    self._val(lvl, "w:lvlText", ""),
                    int(self._val(lvl, "w:start", "1")),
                )
            for override in num.findall(qn("w:lvlOverride")):
                ilvl = int(override.get(qn("w:ilvl"), "0"))
                start = override.find(qn("w:startOverride"))
                if start is not None and ilvl in levels:
                    fmt, text, _ = levels[ilvl]
                    levels[ilvl] = (fmt, text, int(start.get(qn("w:val"))))
            self._levels[num.get(qn("w:numId"))] = levels

    def _val(self, element, tag: str, default: str) -> str:
        child = element.find(self._qn(tag))
        return child.get(self._qn("w:val"), default) if child is not None else default

    def label(self, paragraph) -> str:
        """The number or bullet Word shows before `paragraph`, "" when it has none."""
        num_id, ilvl = self._num_pr(paragraph)
        levels = self._levels.get(num_id or "")
        if not levels or ilvl not in levels:
            return ""
        fmt, text, start = levels[ilvl]
        counters = self._counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if fmt == "bullet":
            return "-"

        def number(match: re.Match) -> str:
            level = int(match.group(1)) - 1
            level_fmt, _, level_start = levels.get(level, ("decimal", "", 1))
            return _format_number(counters.get(level, level_start), level_fmt)

        return re.sub(r"%(\d)", number, text).strip()

    def _num_pr(self, paragraph) -> tuple[str | None, int]:
        qn = self._qn
        # Direct formatting wins over the style; styles inherit numbering from their base.
        sources = [paragraph._p.pPr]
        style = paragraph.style
        while style is not None:
            sources.append(style.element.pPr)
            style = style.base_style
        num_id, ilvl = None, None
        for ppr in sources:
            num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
            if num_pr is None:
                continue
            if num_id is None:
                num_id = self._val(num_pr, "w:numId", "") or None
            if ilvl is None and num_pr.find(qn("w:ilvl")) is not None:
                ilvl = int(self._val(num_pr, "w:ilvl", "0"))
        return (None if num_id == "0" else num_id), ilvl or 0


def _format_number(value: int, fmt: str) -> str:
    if fmt in ("upperRoman", "lowerRoman"):
        roman = _roman(value)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt == "decimalZero":
        return f"{value:02d}"
    return "" if fmt == "none" else str(value)


_ROMAN_VALUES = (1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1)
_ROMAN_NUMERALS = "M CM D CD C XC L XL X IX V IV I".split()


def _roman(value: int) -> str:
    out = ""
    for amount, numeral in zip(_ROMAN_VALUES, _ROMAN_NUMERALS, strict=True):
        count, value = divmod(value, amount)
        out += numeral * count
    return out


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


# Private-use characters stand for paragraph and line breaks while HTML whitespace is
# collapsed, so source newlines (insignificant in HTML) never become breaks.
_PARAGRAPH, _LINE = "\ue000", "\ue001"
_DROPPED = "script style nav noscript template svg iframe form aside footer button head".split()
_BLOCKS = (
    "p div section article main header h1 h2 h3 h4 h5 h6 li ul ol table tr caption blockquote "
    "pre dl dt dd figure figcaption address hr details summary"
).split()


def html_document(data: bytes) -> tuple[dict[str, str], str]:
    """(properties, Markdown text) of a web page's main content: the article without the
    site's menus, sidebars, share buttons and footer (trafilatura), its headings as "#"
    lines; title and publication date from the page's metadata. Pages trafilatura finds no
    article in (a bare fragment) fall back to every block element of the body."""
    import trafilatura

    try:
        markup = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        markup = data.decode("cp1258", errors="replace")
    text = trafilatura.extract(
        markup,
        output_format="markdown",
        include_formatting=True,
        include_tables=True,
        include_comments=False,
        include_images=False,
        favor_precision=True,
    )
    meta: dict[str, str] = {"kind": "article"}
    info = trafilatura.extract_metadata(markup)
    if info is not None and info.title:
        meta["title"] = " ".join(info.title.split())
    if info is not None and info.date and re.match(r"\d{4}-\d{2}-\d{2}$", info.date):
        year, month, day = info.date.split("-")
        meta["date"] = f"{day}/{month}/{year}"
    if not text or not text.strip():
        title, text = html_text(data)
        if title:
            meta["title"] = title
        return meta, text
    text = re.sub(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", r"\2", text)
    return meta, "\n\n".join(_join_wrapped(block) for block in text.split("\n\n"))


_LINE_OPENS_ITEM = re.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|\||#)")


def _join_wrapped(block: str) -> str:
    """Source line breaks inside an HTML paragraph are spaces; list items and rows stay lines."""
    lines: list[str] = []
    for line in block.split("\n"):
        if lines and line.strip() and not _LINE_OPENS_ITEM.match(line):
            lines[-1] = f"{lines[-1].rstrip()} {line.strip()}"
        else:
            lines.append(line)
    return "\n".join(lines)


def html_text(data: bytes) -> tuple[str, str]:
    """(title, text) of an HTML page: <title> or the first <h1>, block elements as paragraphs."""
    from bs4 import BeautifulSoup

    try:
        markup: str | bytes = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        markup = data  # let BeautifulSoup read the declared charset
    with warnings.catch_warnings():
        # bs4 warns about markup that looks like a file name or like XML; we parse it anyway.
        warnings.simplefilter("ignore")
        soup = BeautifulSoup(markup, "html.parser")
    title = " ".join(soup.title.get_text(" ").split()) if soup.title else ""
    for element in soup.find_all(_DROPPED):
        element.decompose()
    body = soup.find("article") or soup.find("main") or soup.body or soup
    heading = body.find("h1")
    if not title and heading is not None:
        title = " ".join(heading.get_text(" ").split())
    for br in body.find_all("br"):
        br.replace_with(_LINE)
    for listing in body.find_all(["ul", "ol"]):
        start = _int(listing.get("start"), 1)
        for i, item in enumerate(listing.find_all("li", recursive=False)):
            item.insert(0, f"{start + i}. " if listing.name == "ol" else "- ")
    for cell in body.find_all(["td", "th"]):
        if cell.find_previous_sibling(["td", "th"]) is not None:
            cell.insert(0, " | ")
    for block in body.find_all(_BLOCKS):
        block.insert(0, _PARAGRAPH)
        block.append(_PARAGRAPH)
    text = re.sub(r"\s+", " ", body.get_text())
    text = text.replace(_LINE, "\n").replace(_PARAGRAPH, "\n\n")
    return title, "\n".join(line.strip() for line in text.split("\n"))


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
