"""Questions about a document itself: its number («văn bản số mấy»), who signed it («ai ký
kế hoạch»), whom it is sent to («gửi những nơi nào»).

An official document gives these in fixed places (the layout of Nghị định 30/2020/NĐ-CP): its
number in the letterhead ("Số 45-KH/ĐU"), the «Nơi nhận» list and the signer's title and name
at its foot. Those lines share few words with the question, which names the document by what
it is about; so how well a question names a document is told by that document's best passage.
The part is answered with that confidence, and it is a candidate whenever its document is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from bot.knowledge.chunking import Chunk
from bot.search.evidence import RECIPIENTS, REFERENCE, SIGNER, holds
from bot.search.names import is_name_line
from bot.text import fold

PART_KINDS = frozenset({REFERENCE, SIGNER, RECIPIENTS})

# "T/M BAN THƯỜNG VỤ", "KT. CHỦ TỊCH", "TL. BÍ THƯ": on whose behalf the signer signs
_ON_BEHALF = re.compile(r"^(?:T/M|TM\.|KT\.|TL\.|TUQ\.|Q\.)\s", re.IGNORECASE)
_SIGNED_MARK = re.compile(r"^\(\s*(?:đã\s+)?ký[^)]*\)$", re.IGNORECASE)  # "(Đã ký)"
_LIST_ITEM = re.compile(r"^\s*[-+•]")
# A passage that may hold a foot writes one of these; plain substring tests, since a foot is
# looked for over the whole knowledge base the first time one is asked for (a regular
# expression over 100,000 passages took 3 s).
_FOOT_WORDS = ("Nơi nhận", "NƠI NHẬN", "nơi nhận", "Noi nhan", "NOI NHAN", "T/M", "KT.", "TL.",
               "TM.", "TUQ.", "Q. ")  # fmt: skip


class Part(NamedTuple):
    """The lines of a passage that give the asked part, and which of them answer (bold)."""

    lines: list[int]
    answer: tuple[int, ...]
    label: int = -1  # the unit of the part's own label («Nơi nhận:»), left out of the quote


def part_of(kind: str, units: Sequence[str], skip: int, max_chars: int) -> Part | None:
    """The lines of `units` (the first `skip` of them headings) that give a document's
    number, recipients or signer, if any."""
    if kind == REFERENCE:
        return _letterhead(units, skip, max_chars)
    if kind == RECIPIENTS:
        return _recipients(units, max_chars)
    if kind == SIGNER:
        return _signature(units)
    return None


def _length(units: Sequence[str], lines: list[int]) -> int:
    # with the "…" and its space either side of the quote
    return sum(len(units[i]) + 1 for i in lines) - 1 + 4


def _letterhead(units: Sequence[str], skip: int, max_chars: int) -> Part | None:
    """The line with the document's own number and the heading lines after it (its kind and
    title, its place and date; the first `skip` units are headings), as many as the quote
    holds."""
    start = next((i for i, unit in enumerate(units) if holds(REFERENCE, unit)), None)
    if start is None:
        return None
    lines = [start]
    for i in range(start + 1, max(skip, start + 1)):
        if _length(units, [*lines, i]) > max_chars:
            break
        lines.append(i)
    return Part(lines, (0,))


def _is_recipients_label(unit: str) -> bool:
    return fold(unit[:12]).lower().startswith("noi nhan")


def _recipients(units: Sequence[str], max_chars: int) -> Part | None:
    """The «Nơi nhận» list: its items, as many as the quote holds."""
    start = next((i for i, unit in enumerate(units) if _is_recipients_label(unit)), None)
    if start is None:
        return None
    items = []
    for i in range(start + 1, len(units)):
        if not _LIST_ITEM.match(units[i]) or _length(units, [*items, i]) > max_chars:
            break
        items.append(i)
    if not items:  # the list on the label's own line ("Nơi nhận: - Như trên; - Lưu VP.")
        return Part([start], (0,)) if len(units[start]) > len("Nơi nhận:") + 2 else None
    # the bare label is the list's heading, which the source line shows
    return Part(items, tuple(range(len(items))), label=start)


def _is_title(unit: str) -> bool:
    """The signer's title line: on whose behalf ("T/M BAN THƯỜNG VỤ") or the office
    ("PHÓ BÍ THƯ"), written in capitals."""
    letters = [c for c in unit if c.isalpha()]
    return bool(_ON_BEHALF.match(unit)) or (
        len(letters) >= 4 and all(c.isupper() for c in letters) and len(unit) <= 60
    )


def _signature(units: Sequence[str]) -> Part | None:
    """The signer's name at the document's foot, after the «Nơi nhận» list or under the
    signer's title, with the title lines above it."""
    closing = next(
        (i for i, unit in enumerate(units) if _is_recipients_label(unit) or _ON_BEHALF.match(unit)),
        None,
    )
    if closing is None:
        return None
    name = next((i for i in range(len(units) - 1, closing, -1) if is_name_line(units[i])), None)
    if name is None:
        return None
    lines = [name]
    for i in range(name - 1, closing - 1, -1):
        if _is_title(units[i]) or _SIGNED_MARK.match(units[i]):
            lines.insert(0, i)
        else:
            break
    return Part(lines, (len(lines) - 1,))


def parts(chunks: Sequence[Chunk], kind: str, max_chars: int) -> dict[str, int]:
    """Document -> the passage that gives the asked part: the first that gives a number
    (the letterhead), the last that gives a signer or recipients (the foot)."""
    found: dict[str, int] = {}
    for i, chunk in enumerate(chunks):
        if kind == REFERENCE and chunk.doc_path in found:
            continue  # the letterhead is the first
        if kind != REFERENCE and not any(w in chunk.text for w in _FOOT_WORDS):
            continue
        if part_of(kind, chunk.units, 0, max_chars) is not None:
            found[chunk.doc_path] = i
    return found


def with_parts(ranked: list[int], chunks: Sequence[Chunk], found: dict[str, int]) -> list[int]:
    """The candidates, and the part of every candidate's document after them."""
    seen = set(ranked)
    extra = []
    for i in ranked:
        part = found.get(chunks[i].doc_path)
        if part is not None and part not in seen:
            seen.add(part)
            extra.append(part)
    return ranked + extra


def as_named(
    ranking: list[float], chunks: Sequence[Chunk], answering: Sequence[bool], penalty: float
) -> list[float]:
    """Each part scored as its document's best passage (before that passage lost `penalty`
    for not giving the part)."""
    named: dict[str, float] = {}
    for score, chunk, gives in zip(ranking, chunks, answering, strict=True):
        whole = score if gives else score + penalty
        named[chunk.doc_path] = max(named.get(chunk.doc_path, whole), whole)
    return [
        max(score, named[chunk.doc_path]) if gives else score
        for score, chunk, gives in zip(ranking, chunks, answering, strict=True)
    ]
