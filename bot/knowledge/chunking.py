"""Structural chunking of Vietnamese official documents into quotable passages.

Official documents number their parts "I -", "II -", items "1.", "1.1 -", "a)", bullets "- ".
Each passage keeps the path of headings above it and is cut into sentence-like units, so
the bot can quote the one or two units that answer instead of a whole paragraph.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from bot.knowledge.document import Document
from bot.text import clean

_ROMAN = re.compile(r"^(?P<num>[IVXL]{1,5})\s*[-–.)]\s*(?P<title>\S.*)$")
_NUMBERED = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2}){0,3})(?:\.|\s*[-–)])\s*(?P<title>\S.*)$")
_LETTER = re.compile(r"^(?P<num>[a-zđ])\)\s*(?P<title>\S.*)$")
_CLOSING = re.compile(r"^(nơi nhận|nơi gửi)\s*:?\s*$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?…])[”\")]?\s+(?=[\"“(\-–]?[A-ZÀ-ỸĐ0-9])")
_CLAUSE_END = re.compile(r"(?<=;)\s+")
_COLON = re.compile(r"(?<=:)\s+")
_COMMA = re.compile(r"(?<=,)\s+")
_MARKER = re.compile(r"^(?P<marks>#{1,6})\s+(?P<text>\S.*)$")  # a heading the file itself marks
_NUMBER_ONLY = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*|[IVXL]{1,5}|[a-zđ])[.)]$")
# A full stop that ends an abbreviation, not a sentence: an initial after a name or another
# initial ("Michael E. Mann", "E.I. du Pont") or a title or place word written short ("TP. Hồ
# Chí Minh", "St. Johns", "Tr. CN", "PGS. TS. Nguyễn"); cutting there quotes half a name. A
# lone capital after a common word ends the sentence ("theo Phụ lục I.", "nhóm A.").
_ABBREVIATED = re.compile(
    r"(?:(?:^|[\s(“\"'])[A-ZĐ]\.(?:[A-ZĐ]\.)+"
    r"|(?:^|[(“\"']|\b[A-ZĐ][\wÀ-ỹ]*\.?\s)[A-ZĐ]\."
    r"|(?:^|[\s(“\"'])(?:St|Dr|Mr|Mrs|Ms|Jr|Sr|Tr|TP|Tp|TT|TS|ThS|PGS|GS|BS|KS|Th)\.)$"
)

MAX_HEADING_CHARS = 220
MERGE_UP_TO = 400  # short neighbouring paragraphs of one section become one passage
SPLIT_ABOVE = 1600  # longer paragraphs are cut into windows of whole units
UNIT_SOFT_MAX = 390  # whole sentences up to the quote limit (with its "…")
LABEL_CHARS = 60


@dataclass(frozen=True)
class Chunk:
    """A passage of a document, quoted verbatim, with where it stands."""

    doc_path: str
    ordinal: int
    title: str
    section: str
    text: str
    units: tuple[str, ...]
    kind: str = "plan"
    date: str = ""
    source: str = ""
    headings: int = 0  # leading lines of `text` that are headings quoted with their passage

    @property
    def heading_text(self) -> str:
        return "\n".join(self.text.split("\n")[: self.headings])

    @property
    def chunk_id(self) -> str:
        return f"{self.doc_path}#{self.ordinal}"

    @property
    def content_hash(self) -> str:
        """Identity of what is embedded: reuse the vector when this is unchanged."""
        return hashlib.sha256(embedding_text(self).encode("utf-8")).hexdigest()[:32]


def embedding_text(chunk: Chunk) -> str:
    """What the dense encoder sees: the section path gives a short passage its context."""
    return f"{chunk.section}: {chunk.text}" if chunk.section else chunk.text


@dataclass
class _Heading:
    level: int
    label: str


def shorten(text: str, limit: int) -> str:
    """`text` cut to `limit` characters with "…", at a phrase boundary (",", ";", " - ")
    when one keeps most of it, else between words, never inside a word."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    phrase = max(cut.rfind(", "), cut.rfind("; "), cut.rfind(" - "), cut.rfind(" – "))
    if phrase >= limit * 0.6:
        cut = cut[:phrase]
    elif " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(",;:-– ") + "…"


def _heading_level(line: str) -> tuple[int, str, str] | None:
    """(level, number, title) when the line starts like a numbered part or item."""
    if m := _ROMAN.match(line):
        return 1, m["num"], m["title"]
    if m := _NUMBERED.match(line):
        return 1 + m["num"].count(".") + 1, m["num"], m["title"]
    if m := _LETTER.match(line):
        return 6, m["num"] + ")", m["title"]
    return None


def _is_title_like(line: str) -> bool:
    """A heading line: short and not closing a sentence (items that do are content)."""
    return len(line) <= MAX_HEADING_CHARS and not line.rstrip('”")').endswith((".", ";", "…"))


def _label(number: str, title: str) -> str:
    title = title.strip().rstrip(":")
    if title.isupper():
        title = title.lower().capitalize()
    title = shorten(title, LABEL_CHARS)
    number = number if number.endswith(")") else number.rstrip(".") + "."
    if "." in number.rstrip("."):
        number = number.rstrip(".")
    return f"{number} {title}"


def _plain_label(title: str) -> str:
    title = title.strip().rstrip(":")
    if title.isupper():
        title = title.lower().capitalize()
    return shorten(title, LABEL_CHARS)


def _split(text: str, seps: tuple[re.Pattern[str], ...]) -> list[str]:
    if len(text) <= UNIT_SOFT_MAX or not seps:
        return [text]
    parts = [p for p in seps[0].split(text) if p.strip()]
    if len(parts) == 1:
        return _split(text, seps[1:])
    if seps[0] is _COMMA:  # comma pieces are tiny: rejoin them into windows
        merged: list[str] = []
        for part in parts:
            if merged and len(merged[-1]) + 1 + len(part) <= UNIT_SOFT_MAX:
                merged[-1] = f"{merged[-1]} {part}"
            else:
                merged.append(part)
        parts = merged
    return [unit for part in parts for unit in _split(part, seps[1:])]


def split_units(text: str) -> tuple[str, ...]:
    """Sentences, and clauses of over-long sentences (on ';', ':', then ','), in order."""
    clauses = (_CLAUSE_END, _COLON, _COMMA)
    sentences: list[str] = []
    for piece in _SENTENCE_END.split(text):
        if sentences and (
            _NUMBER_ONLY.match(sentences[-1])  # "1." of "1. Nâng cao…"
            or _ABBREVIATED.search(sentences[-1])
        ):
            sentences[-1] = f"{sentences[-1]} {piece}"
        else:
            sentences.append(piece)
    units = [u for sentence in sentences for u in _split(sentence, clauses)]
    return tuple(u.strip() for u in units if u.strip())


def _windows(paragraphs: list[str]) -> list[list[str]]:
    """Cut an over-long passage into windows of whole units under SPLIT_ABOVE characters."""
    if sum(len(p) + 1 for p in paragraphs) <= SPLIT_ABOVE:
        return [paragraphs]
    windows: list[list[str]] = []
    current: list[str] = []
    size = 0
    for para in paragraphs:
        pieces = [para] if len(para) <= SPLIT_ABOVE else list(split_units(para))
        for i, piece in enumerate(pieces):
            if current and size + len(piece) + 1 > SPLIT_ABOVE:
                windows.append(current)
                current, size = [], 0
            if i and current:  # pieces of one paragraph stay on one line
                current[-1] = f"{current[-1]} {piece}"
            else:
                current.append(piece)
            size += len(piece) + 1
    if current:
        windows.append(current)
    return windows


def _paragraphs(text: str) -> list[str]:
    """Non-empty lines; a line is a paragraph once the loader has repaired page breaks."""
    return [p for p in (clean(line) for line in text.split("\n")) if p]


def chunk_document(doc: Document) -> list[Chunk]:
    """Cut a document into passages that follow its headings.

    Heading lines are quoted at the start of the first passage under them: a member who
    asks what a part is about gets the heading and its first item, verbatim.
    """
    stack: list[_Heading] = []
    pending: list[str] = []  # heading lines not yet followed by content
    groups: list[tuple[str, list[str], int]] = []  # (section path, paragraphs, headings)

    def section() -> str:
        return " › ".join(h.label for h in stack)

    def add(paragraph: str, path: str) -> None:
        if pending:
            groups.append((path, [*pending, paragraph], len(pending)))
            pending.clear()
            return
        if groups and groups[-1][0] == path:
            joined = sum(len(p) + 1 for p in groups[-1][1]) + len(paragraph)
            if joined <= MERGE_UP_TO:
                groups[-1][1].append(paragraph)
                return
        groups.append((path, [paragraph], 0))

    # When the file marks its headings (Word styles, PDF outline, HTML, Markdown), those are
    # the parts; numbered lines are items below the deepest of them.
    marked = any(_MARKER.match(line) for line in doc.text.split("\n"))
    offset = 6 if marked else 0
    for para in _paragraphs(doc.text):
        if _CLOSING.match(para):
            stack = [_Heading(1, para.rstrip(":").strip().capitalize())]
            pending[:] = [para]
            continue
        if marker := _MARKER.match(para):
            level, line = len(marker["marks"]), marker["text"]
            numbered = _heading_level(line)
            label = _label(numbered[1], numbered[2]) if numbered else _plain_label(line)
            stack = [h for h in stack if h.level < level]
            stack.append(_Heading(level, label))
            pending.append(line)
            continue
        found = _heading_level(para)
        if found:
            level, number, title = found
            level += offset
            stack = [h for h in stack if h.level < level]
            stack.append(_Heading(level, _label(number, title)))
            if _is_title_like(para):
                pending.append(para)
                continue
            # a numbered item that is itself content: quoted under its own label
        add(para, section())
    if pending and groups:  # trailing headings with nothing under them
        groups.append((section(), list(pending), len(pending)))

    chunks: list[Chunk] = []
    for path, paras, headings in groups:
        for n, window in enumerate(_windows(paras)):
            chunks.append(
                Chunk(
                    doc_path=doc.path,
                    ordinal=len(chunks),
                    title=doc.title,
                    section=path,
                    text="\n".join(window),
                    units=tuple(u for p in window for u in split_units(p)),
                    kind=doc.kind,
                    date=doc.date,
                    source=doc.source,
                    headings=headings if n == 0 else 0,
                )
            )
    return chunks
