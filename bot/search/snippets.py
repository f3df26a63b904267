"""Pick the sentence of a passage that answers a question: the quote a member reads.

A sentence's evidence is the question's weighted words and pairs it holds, each weighed
by how few of the passage's sentences hold it (the passage's subject, in every sentence,
tells none apart), and whether it holds the kind of fact asked for. The quote is the two
neighbouring sentences with the most evidence together (an answer often runs over two:
who, then what they did), the better of them in bold; whole units only, never a heading
(headings belong in the source line), and "…" wherever the passage goes on before or after.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.knowledge.chunking import LABEL_CHARS
from bot.search.document_parts import PART_KINDS, part_of
from bot.search.evidence import holds
from bot.text import tokens

MAX_SNIPPET_CHARS = 400
ELLIPSIS = "…"
KIND_BONUS = 0.35  # share of the question's weight a sentence of the asked kind gains
TYPED_SHARE = 0.6  # a sentence of the asked kind matching this share of the best one wins
# A heading longer than the source line's label ("1.4 - Phân tích … tại Hội nghị lần thứ mười
# Ban Chấp hành Trung ương Đảng khóa XIII") is cut there, so what it says is content: it may
# be quoted, alone, when it answers better than any sentence under it.
SENTENCE_HEADING_CHARS = LABEL_CHARS


# The place-and-date line under an official document's letterhead ("Tân Phú, ngày 12 tháng 3
# năm 2025") dates the document, which the source line shows: it answers no question itself.
_ISSUE_LINE = re.compile(
    r"^[^.,;:]{2,40},\s*ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}\.?$", re.IGNORECASE
)


@dataclass(frozen=True)
class Snippet:
    """The quoted excerpt and which of its units answer (for bold in the reply)."""

    units: tuple[str, ...]
    answer: tuple[int, ...]  # indexes into units of the best-matching unit(s)
    cut_before: bool = False  # the passage goes on before the quote
    cut_after: bool = False
    coverage: float = 0.0  # share of the question's weight the answering sentence holds
    kind_found: bool = True  # the answering sentence holds the kind of fact asked for
    lines: bool = False  # lines of a letterhead or a foot (shown one per line), not sentences

    @property
    def display_units(self) -> tuple[str, ...]:
        """The units as shown, with "…" where the passage was cut."""
        if not self.units:
            return ()
        shown = list(self.units)
        if self.cut_before:
            shown[0] = f"{ELLIPSIS} {shown[0]}"
        if self.cut_after:
            shown[-1] = f"{shown[-1]} {ELLIPSIS}"
        return tuple(shown)

    @property
    def text(self) -> str:
        return " ".join(self.display_units)


def unit_score(query_tokens: set[str], unit: str | frozenset[str], idf: dict[str, float]) -> float:
    """Sum of the weights of the question's tokens the unit contains (bigrams count double)."""
    present = query_tokens.intersection(tokens(unit) if isinstance(unit, str) else unit)
    return sum(idf.get(t, 0.0) * (2.0 if "_" in t else 1.0) for t in present)


def _weighted(weights: dict[str, float], unit: frozenset[str]) -> float:
    return sum(w for t, w in weights.items() if t in unit)


def _length(units: tuple[str, ...], chosen: list[int]) -> int:
    return sum(len(units[i]) + 1 for i in chosen) - 1


def _introduces(unit: str) -> bool:
    """A clause that introduces what follows ("…gồm các nội dung:")."""
    return unit.rstrip().endswith(":")


def _within(weights: dict[str, float], sentences: list[frozenset[str]]) -> dict[str, float]:
    """The question's weights inside one passage: each divided by how many of its sentences
    hold the token (BM25's IDF idea at sentence level, within the passage)."""
    held = {t: sum(t in s for s in sentences) for t in weights}
    return {t: w / max(held[t], 1) for t, w in weights.items()}


def _best_window(
    units: tuple[str, ...],
    body: list[int],
    own: dict[int, float],
    max_chars: int,
    among: list[int] | None = None,
) -> tuple[int, list[int]]:
    """The answering sentence and the quote around it: the two neighbouring sentences that
    answer best together (an answer often runs over two: who, then what they did), the
    better of them the answering one (or the one of `among`); alone when no neighbour fits."""
    best_key: tuple[float, float, int] | None = None
    result = (body[0], [body[0]])
    for i in among if among is not None else body:
        windows = [
            [min(i, j), max(i, j)]
            for j in (i - 1, i + 1)
            if j in own and _length(units, [i, j]) + 4 <= max_chars
        ] or [[i]]
        for window in windows:
            answer = i if among is not None else max(window, key=lambda k: (own[k], -k))
            key = (sum(own[k] for k in window), own[answer], -window[0])
            if best_key is None or key > best_key:
                best_key, result = key, (answer, window)
    return result


def best_snippet(
    query_tokens: list[str],
    units: tuple[str, ...],
    idf: dict[str, float],
    max_chars: int = MAX_SNIPPET_CHARS,
    unit_tokens: tuple[frozenset[str], ...] | None = None,
    *,
    weights: dict[str, float] | None = None,
    skip: int = 0,
    kind: str = "",
    unit: str = "",
    heading: frozenset[str] = frozenset(),
    given: frozenset[str] = frozenset(),
) -> Snippet:
    """The answering unit of `units[skip:]` (the first `skip` are headings) and one neighbour."""
    if weights is None:
        weights = {t: idf.get(t, 0.0) * (2.0 if "_" in t else 1.0) for t in set(query_tokens)}
    sets = unit_tokens if unit_tokens is not None else tuple(frozenset(tokens(u)) for u in units)
    whole = list(range(skip, len(units))) or list(range(len(units)))
    body = [i for i in whole if not _ISSUE_LINE.match(units[i].strip())]
    dated_only = not body  # a passage that only dates its document answers nothing
    body = body or whole
    if not whole:
        return Snippet((), ())
    total = sum(weights.values()) or 1.0
    # the confidence's share: the question's weight a sentence holds (global weights)
    lexical = {i: _weighted(weights, sets[i]) / total for i in body}
    typed = {i: holds(kind, units[i], unit, given) for i in body}
    # Which sentence answers is told by the words that set it apart from the passage's other
    # sentences: a word every sentence holds (the passage's subject) says nothing about which.
    local = _within(weights, [sets[i] for i in body])
    local_total = sum(local.values()) or 1.0
    own = {
        i: _weighted(local, sets[i]) / local_total * (1 + (KIND_BONUS if kind and typed[i] else 0))
        for i in body
    }
    best, window = _best_window(units, body, own, max_chars)
    if kind and not any(typed[i] for i in window):
        # the question asks for a date, number, name or place: a quote that holds one and
        # matches nearly as well answers better than one that only repeats the question
        holding = [i for i in body if typed[i] and own[i] >= TYPED_SHARE * own[best] > 0]
        if holding:
            best, window = _best_window(units, body, own, max_chars, among=holding)
    # A question that names the heading ("mục đích của kế hoạch") more than any sentence
    # answers it asks what opens under that heading: quote from its first sentence.
    if (
        heading
        and body[0] == skip > 0
        and _weighted(weights, heading) / total > max(lexical.values())
    ):
        best = body[0]
        window = [best, best + 1] if best + 1 in own else [best]
    if _introduces(units[best]) and best + 1 in own:
        window = [best, best + 1]  # a lead-in is quoted with what it introduces
    part = part_of(kind, units, skip, max_chars) if kind in PART_KINDS and not typed[best] else None
    if part is not None:
        # asked for the document's number, signer or recipients, a member gets the lines of
        # its letterhead or foot that give them
        return Snippet(
            tuple(units[i][: max_chars - 4] for i in part.lines),
            part.answer,
            cut_before=part.lines[0] > part.label + 1,
            cut_after=part.lines[-1] < len(units) - 1,
            coverage=lexical[best],
            kind_found=True,
            lines=True,
        )
    spoken = [i for i in range(min(skip, len(units))) if len(units[i]) > SENTENCE_HEADING_CHARS]
    if spoken:
        said = {i: _weighted(weights, sets[i]) / total for i in spoken}
        top = max(spoken, key=lambda i: (said[i], -i))
        typed_top = bool(kind) and holds(kind, units[top], unit, given)
        answers = lexical[best] * (1 + (KIND_BONUS if kind and typed[best] else 0))
        if (not kind or typed_top) and said[top] * (1 + KIND_BONUS * typed_top) > answers:
            # quoted alone: a heading runs on into its first item with no full stop between
            return Snippet(
                (units[top][: max_chars - 2],),
                (0,),
                cut_before=top > 0,
                cut_after=True,
                # the heading's words already count toward the confidence (the heading bonus)
                coverage=lexical[best],
                kind_found=typed[best] or typed_top,
            )
    chosen = sorted(window) if _length(units, window) + 4 <= max_chars else [best]
    room = max_chars - 4  # the two ellipses and their spaces
    picked = tuple(units[i][:room] for i in chosen)
    return Snippet(
        picked,
        (chosen.index(best),),
        cut_before=chosen[0] > whole[0],
        cut_after=chosen[-1] < whole[-1],
        coverage=0.0 if dated_only else lexical[best],
        kind_found=typed[best] and not dated_only,
    )
