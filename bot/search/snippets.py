"""Pick the sentence of a passage that answers a question: the quote a member reads.

The answering sentence is chosen by its own evidence (the question's weighted words and
pairs it holds, whether it holds the kind of fact asked for) plus a little of its
neighbours'. The quote is that sentence, in bold, with at most one neighbour for context,
whole units only, never a heading (headings belong in the source line), and "…" wherever
the passage goes on before or after the quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.knowledge.chunking import LABEL_CHARS
from bot.search.evidence import holds
from bot.text import tokens

MAX_SNIPPET_CHARS = 400
ELLIPSIS = "…"
NEIGHBOUR_WEIGHT = 0.25  # a neighbour's words say a little about this sentence
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
    lexical = {i: _weighted(weights, sets[i]) / total for i in body}
    typed = {i: holds(kind, units[i], unit, given) for i in body}

    def evidence(i: int) -> float:
        near = sum(lexical.get(j, 0.0) for j in (i - 1, i + 1))
        bonus = KIND_BONUS * lexical[i] if kind and typed[i] else 0.0
        return lexical[i] + bonus + NEIGHBOUR_WEIGHT * near

    best = max(body, key=lambda i: (evidence(i), -i))
    if kind and not typed[best]:
        # the question asks for a date, number, name or place: a sentence that holds one and
        # matches nearly as well answers better than one that only repeats the question
        holding = [i for i in body if typed[i] and lexical[i] >= TYPED_SHARE * lexical[best] > 0]
        if holding:
            best = max(holding, key=lambda i: (evidence(i), -i))
    # A question that names the heading ("mục đích của kế hoạch") more than any sentence
    # answers it asks what opens under that heading: quote from its first sentence.
    if (
        heading
        and body[0] == skip > 0
        and _weighted(weights, heading) / total > max(lexical.values())
    ):
        best = body[0]
    spoken = [i for i in range(min(skip, len(units))) if len(units[i]) > SENTENCE_HEADING_CHARS]
    if spoken:
        said = {i: _weighted(weights, sets[i]) / total for i in spoken}
        top = max(spoken, key=lambda i: (said[i], -i))
        typed_top = bool(kind) and holds(kind, units[top], unit, given)
        if (not kind or typed_top) and said[top] * (1 + KIND_BONUS * typed_top) > evidence(best):
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
    chosen = [best]
    neighbours = [i for i in (best - 1, best + 1) if i in lexical]
    if _introduces(units[best]) and best + 1 in lexical:
        neighbours = [best + 1]  # a lead-in is quoted with what it introduces
    else:
        # the better-matching neighbour; on a tie the following one, which usually goes on
        neighbours.sort(key=lambda i: (-lexical[i], -(kind != "" and typed[i]), i < best))
    for i in neighbours:
        if _length(units, [best, i]) + 4 <= max_chars:
            chosen.append(i)
            break
    chosen.sort()
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
