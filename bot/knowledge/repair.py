"""Repair the damage that PDF extraction and page breaks do to Vietnamese official documents.

Paragraphs are separated by one blank line; a single newline inside a paragraph is kept as
the author wrote it (title blocks, "Nơi nhận" lists). A blank line is removed, and the two
sides joined with one space, only when the text on both sides is clearly one sentence:

- the next line starts with a lowercase letter and the previous one does not end a sentence
  (". ! ? : …"; a ";" or "," does not end one: a new paragraph never starts in lowercase);
- or the previous paragraph is running text (not a heading, its last line at least 80
  characters) ending in a word, a comma or a spaced dash, and the next line is neither a
  heading in capitals nor a structural marker ("I -", "1.", "1.1 -", "- ", "a)", "Nơi nhận:");
- or the previous line ends in a hyphen glued to a word ("Mác-" + "Lênin"): joined with no
  space, the hyphen kept, because Vietnamese syllables are never split by hyphenation, so
  such a hyphen belongs to a compound.

`unwrap=True` (for PDF text, where every visual line ends in a newline) first joins the
lines of each block into paragraphs with the same rules, a "full" line being one at least
70% of the document's own line width in characters (justified proportional text varies that
much); each line left is a paragraph. A line that ends in "." or ";" stays a paragraph end
even when full: splitting a paragraph between sentences is safer than merging two.
"""

from __future__ import annotations

import re

# Closing/opening quotes and brackets are looked through when reading a line's first or
# last character: '“Niềm tin mới”' ends in a word, '(b/c).' ends a sentence.
_CLOSERS = "”’\"')]}»"
_OPENERS = "“‘\"'([{«"
_SENTENCE_END = frozenset(".!?:…")
_ITEM_END = _SENTENCE_END | {";"}
# A paragraph cut by a page break before a capitalised word is at least this long; title
# lines, short headings and list entries are shorter.
_FULL_LINE = 80
# A numbered paragraph (not a bullet) at most this long is taken as a heading: a page break
# inside it is only repaired when the next page goes on in lowercase.
_HEADING_MAX = 300

_STRUCTURAL = re.compile(
    r"""^(?:
        [IVXLC]{1,6}\s*[.)\-–:](?:\s|$)                # I -  II.  IV)
      | \d{1,2}(?:\.\d{1,2})*\s*[.)](?:\s|$)          # 1.  1.1.  2)
      | \d{1,2}(?:\.\d{1,2})*\s+[-–](?:\s|$)          # 1 -  1.1 -
      | \d{1,2}(?:\.\d{1,2})+\s                       # 1.1 Tuyên truyền
      | [a-zđ]\s*[).](?:\s|$)                         # a)  b.  đ)
      | (?:i{1,3}|iv|vi{0,3}|ix|x)\)\s                # i)  ii)
      | [-–—+•·●○▪■►◦*](?:\s|$)                       # bullets
      | (?:Điều|Chương|Mục|Phần)\s+(?:[IVXLC]+|\d+|thứ\s+\w+)\s*(?:[.:\-–]|$)
      | (?:Nơi\s+nhận|Kính\s+gửi|Căn\s+cứ)\b
      | (?:TM|KT|TL|TUQ|Q)\.\s
      | \#{1,6}\s                                     # a heading from the file's structure
    )""",
    re.VERBOSE,
)
_MARKED_HEADING = re.compile(r"^#{1,6}\s")
_BULLET = re.compile(r"^[-–—+•·●○▪■►◦*](?:\s|$)")
_PAGE_NUMBER = re.compile(
    r"^(?:[-–—]?\s*\d{1,4}\s*[-–—]?|(?:Trang|trang|Page)\s+\d{1,4}(?:\s*(?:/|trên|of)\s*\d{1,4})?)$"
)
_GLUED_HYPHEN = re.compile(r"[^\W\d_]-$")
_SPACED_DASH = re.compile(r"^[-–] ")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def repair_text(text: str, *, unwrap: bool = False) -> str:
    """Return `text` with line endings, page numbers and breaks inside sentences repaired."""
    lines = [ln for ln in _clean_lines(text) if not _PAGE_NUMBER.match(ln)]
    blocks = _blocks(lines)
    if not blocks:
        return ""
    full = 0.7 * _line_width(lines) if unwrap else _FULL_LINE
    paragraphs: list[list[str]] = []
    tail = ""  # the last visual line so far: only a full one runs on to a capitalised word
    for block in blocks:
        pieces = [[p] for p in _unwrap(block, full)] if unwrap else [list(block)]
        if paragraphs and _continues(paragraphs[-1], tail, pieces[0][0], full, unwrap):
            prev = paragraphs[-1]
            prev[-1] = _glue(prev[-1], pieces[0][0])
            prev.extend(pieces.pop(0)[1:])
        paragraphs.extend(pieces)
        tail = block[-1] if unwrap else paragraphs[-1][-1]
    return "\n\n".join("\n".join(p) for p in paragraphs)


def is_structural_line(line: str) -> bool:
    """Whether a line opens a structural unit: heading number, item letter, bullet, "Nơi nhận"."""
    return bool(_STRUCTURAL.match(line.strip()))


def is_upper_line(line: str) -> bool:
    """Whether every letter of the line is a capital (headings, document types, signatures)."""
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _clean_lines(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # A form feed is a page break, i.e. at least a paragraph break; joins are decided later.
    text = text.replace("\f", "\n\n").replace("\u2029", "\n\n")
    text = text.replace("\u2028", "\n").replace("\v", "\n")
    # A soft hyphen at a line end is typographic hyphenation: the word continues unbroken.
    text = re.sub(r"\u00ad[ \t]*\n\s*", "", text).replace("\u00ad", "")
    text = text.translate(_INVISIBLE)
    return [
        re.sub(r"[ \t\u00a0\u2000-\u200a\u202f\u3000]+", " ", ln).strip() for ln in text.split("\n")
    ]


def _blocks(lines: list[str]) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def _line_width(lines: list[str]) -> float:
    # The 90th percentile of visual line lengths is the page width in characters; short
    # lines (titles, last lines) and outliers (tables, URLs) do not move it.
    lengths = sorted(len(ln) for ln in lines if ln)
    return float(lengths[round(0.9 * (len(lengths) - 1))]) if lengths else 0.0


def _unwrap(block: list[str], full: float) -> list[str]:
    out = [block[0]]
    previous = block[0]  # the previous visual line, not the paragraph built so far
    for line in block[1:]:
        if _wraps(previous, line, full):
            out[-1] = _glue(out[-1], line)
        else:
            out.append(line)
        previous = line
    return out


def _evident_join(prev: str, line: str) -> bool | None:
    """What the line itself says: a heading or bullet never joins; a cut hyphenated word or
    a lowercase start joins unless the sentence had ended; None when it does not tell."""
    if is_structural_line(line) or _MARKED_HEADING.match(prev):
        return False  # a heading the file marks is a line of its own
    if _GLUED_HYPHEN.search(prev) and _first(line).isalpha():
        return True
    if _starts_lower(line):
        return _last(prev) not in _SENTENCE_END
    return None


def _wraps(prev: str, line: str, full: float) -> bool:
    if _dash_goes_on(prev, line):
        return len(prev) >= full
    if (evident := _evident_join(prev, line)) is not None:
        return evident
    if len(prev) < full or _last(prev) in _ITEM_END:
        return False
    return is_upper_line(prev) or not is_upper_line(line)


def _continues(paragraph: list[str], tail: str, line: str, full: float, visual: bool) -> bool:
    prev = paragraph[-1]
    if _dash_goes_on(prev, line):
        return len(tail) >= full
    if (evident := _evident_join(prev, line)) is not None:
        return evident
    ends_mid_sentence = prev[-1].isalnum() or prev.endswith((",", " -", " –"))
    return (
        ends_mid_sentence
        and len(tail) >= full
        and _first(line).isalnum()
        and not is_upper_line(line)
        # A numbered heading has no final stop either; in PDF text a full last line on the
        # page tells that it goes on, elsewhere only lowercase on the next page does.
        and not (is_upper_line(paragraph[-1]) or (not visual and _is_heading(paragraph)))
    )


def _dash_goes_on(prev: str, line: str) -> bool:
    # "kinh tế - xã hội", "2025 - 2030" wrapped before the dash: a bullet would start with
    # a capital, and would not follow a line ending in a number with a number.
    if not _SPACED_DASH.match(line):
        return False
    after = line[2:3]
    return (_starts_lower(after) and prev[-1].isalnum()) or (after.isdigit() and prev[-1].isdigit())


def _is_heading(paragraph: list[str]) -> bool:
    first = paragraph[0]
    numbered = is_structural_line(first) and not _BULLET.match(first)
    return numbered and sum(len(ln) for ln in paragraph) <= _HEADING_MAX


def _glue(prev: str, line: str) -> str:
    if _GLUED_HYPHEN.search(prev) and _first(line).isalpha():
        return prev + line
    return f"{prev} {line}"


def _first(line: str) -> str:
    return line.lstrip(_OPENERS)[:1]


def _last(line: str) -> str:
    return line.rstrip(_CLOSERS)[-1:]


def _starts_lower(line: str) -> bool:
    first = _first(line)
    return first.isalpha() and first.islower()
