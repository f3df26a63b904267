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


def docx_text(path: Path) -> str:
    """Paragraphs and table rows of a .docx in document order, with Word's list numbers."""
    import docx
    from docx.table import Table

    document = docx.Document(str(path))
    numbering = _Numbering(document)
    blocks: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            blocks.extend(_table_rows(item))
        else:
            label = numbering.label(item)
            blocks.append(f"{label} {item.text}" if label and item.text.strip() else item.text)
    return "\n\n".join(blocks)


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


def pdf_text(path: Path) -> str:
    """The text layer of every page of a PDF, pages separated by blank lines."""
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
    return "\n\n".join(pages)


# Private-use characters stand for paragraph and line breaks while HTML whitespace is
# collapsed, so source newlines (insignificant in HTML) never become breaks.
_PARAGRAPH, _LINE = "\ue000", "\ue001"
_DROPPED = "script style nav noscript template svg iframe form aside footer button head".split()
_BLOCKS = (
    "p div section article main header h1 h2 h3 h4 h5 h6 li ul ol table tr caption blockquote "
    "pre dl dt dd figure figcaption address hr details summary"
).split()


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
