"""Text of a Word (.docx) file: Title/Heading styles as headings, Word's list numbers, tables."""

from __future__ import annotations

import re
from pathlib import Path

from bot.knowledge.formats import heading_marker

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
            blocks.extend(_layout_cells(item, numbering) or _table_rows(item))
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


def _layout_cells(table, numbering: _Numbering) -> list[str]:
    """The paragraphs of a table that only lays a page out, cell by cell; [] for a table of
    data. An official document sets its letterhead (the body's name and number beside
    «ĐẢNG CỘNG SẢN VIỆT NAM» and the place and date) and its foot («Nơi nhận» beside the
    signer) in two borderless columns: read as rows, "Số 45-KH/ĐU" and the signer's name
    would run into the other column's lines."""
    cells = []
    for row in table.rows:
        seen = set()
        for cell in row.cells:
            if id(cell._tc) not in seen:  # a merged cell is repeated once per column
                seen.add(id(cell._tc))
                cells.append(cell)
    written = [[p for p in cell.paragraphs if p.text.strip()] for cell in cells]
    if len(table.rows) > 2 or len(table.columns) > 3 or max(map(len, written), default=0) < 2:
        return []
    blocks = []
    for paragraphs in written:
        for paragraph in paragraphs:
            label = numbering.label(paragraph)
            blocks.append(f"{label} {paragraph.text}" if label else paragraph.text)
    return blocks


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
