"""Pick the sentence(s) of a passage that answer a question: the snippet a member sees."""

from __future__ import annotations

from dataclasses import dataclass

from bot.text import tokens

MAX_SNIPPET_CHARS = 400
SHORT_UNIT = 140  # a unit this short is quoted with its neighbour for context


@dataclass(frozen=True)
class Snippet:
    """The quoted excerpt and which of its units answer (for bold in the reply)."""

    units: tuple[str, ...]
    answer: tuple[int, ...]  # indexes into units of the best-matching unit(s)

    @property
    def text(self) -> str:
        return " ".join(self.units)


def unit_score(query_tokens: set[str], unit: str | frozenset[str], idf: dict[str, float]) -> float:
    """Sum of the weights of the question's tokens the unit contains (bigrams count double)."""
    present = query_tokens.intersection(tokens(unit) if isinstance(unit, str) else unit)
    return sum(idf.get(t, 0.0) * (2.0 if "_" in t else 1.0) for t in present)


def _length(units: tuple[str, ...], chosen: list[int]) -> int:
    return sum(len(units[i]) + 1 for i in chosen) - 1


def _introduces(unit: str) -> bool:
    """A heading line or a lead-in clause: no sentence end, or ends with ':'."""
    return unit.rstrip().endswith(":") or not unit.rstrip("”\")' ").endswith(
        (".", ";", "!", "?", "…")
    )


def best_snippet(
    query_tokens: list[str],
    units: tuple[str, ...],
    idf: dict[str, float],
    max_chars: int = MAX_SNIPPET_CHARS,
    unit_tokens: tuple[frozenset[str], ...] | None = None,
) -> Snippet:
    """The best unit for the question's content tokens, widened by a neighbour when short."""
    if not units:
        return Snippet((), ())
    query = set(query_tokens)
    scored = unit_tokens if unit_tokens is not None else units
    scores = [unit_score(query, u, idf) for u in scored]
    best = max(range(len(units)), key=lambda i: (scores[i], -i))
    chosen = [best]
    # A heading or a clause that introduces a list ("…nội dung:") says little alone: quote
    # what follows it. Any other short unit takes its better-matching neighbour.
    while _length(units, chosen) < SHORT_UNIT:
        last = max(chosen)
        if _introduces(units[last]) and last + 1 < len(units):
            candidates = [last + 1]
        else:
            candidates = sorted(
                (i for i in (min(chosen) - 1, last + 1) if 0 <= i < len(units)),
                key=lambda i: -scores[i],
            )
        added = False
        for i in candidates:
            if _length(units, [*chosen, i]) <= max_chars:
                chosen.append(i)
                added = True
                break
        if not added:
            break
    chosen.sort()
    picked = tuple(units[i][:max_chars] for i in chosen)
    return Snippet(picked, (chosen.index(best),))
