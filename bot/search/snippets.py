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
    if len(units[best]) < SHORT_UNIT:
        neighbours = sorted(
            (i for i in (best - 1, best + 1) if 0 <= i < len(units)),
            key=lambda i: -scores[i],
        )
        for i in neighbours:
            total = sum(len(units[j]) + 1 for j in chosen) + len(units[i])
            if total <= max_chars:
                chosen.append(i)
                break
    chosen.sort()
    picked = tuple(units[i][:max_chars] for i in chosen)
    return Snippet(picked, (chosen.index(best),))
