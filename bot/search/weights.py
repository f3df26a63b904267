"""What each question word weighs, and what a passage lacks of the question.

Pure functions of the question, the knowledge base's IDF and a passage's tokens; the
retriever's confidence is built from them.
"""

from __future__ import annotations

import re

from bot.text import tokens

BIGRAM_WEIGHT = 1.5  # a matched syllable pair ("ban chấp") says more than its two syllables
UNSEEN_PAIR_WEIGHT = 0.3

# A question word the knowledge base uses rarely (high IDF) that a passage, its headings and
# its document's title all lack, while another candidate has it: the passage is about
# something else (the digital programme's "Kinh phí" for the contest's budget). The rarest such
# word (its IDF as a share of the highest) costs up to DISTINCT_WEIGHT, counted over the
# candidate that lacks the least, so a paraphrase whose rare words no passage writes (an
# encyclopedia's questions) loses nothing: this orders passages, it does not decline.
DISTINCT_WEIGHT = 0.2


def _weight(token: str, idf: dict[str, float], unknown: float) -> float:
    pair = "_" in token
    if token in idf:
        return idf[token] * (BIGRAM_WEIGHT if pair else 1.0)
    # unseen pairs are common in questions ("của kế"): they say less than an unseen word
    return unknown * (UNSEEN_PAIR_WEIGHT if pair else 1.0)


_ROMAN = re.compile(r"(?<!\w)[IVXL]{1,5}(?!\w)")


def stated_numbers(question: str) -> frozenset[str]:
    """The numbers a question states, as tokens: digits, and Roman numerals written upright."""
    digits = {t for t in tokens(question) if t.isdigit()}
    return frozenset(digits | {r.lower() for r in _ROMAN.findall(question)})


def written_numbers(text: str) -> frozenset[str]:
    """Every run of digits a passage writes, inside codes too ("AS206" writes 206)."""
    return frozenset(re.findall(r"\d+", text))


def query_weights(query: list[str], idf: dict[str, float], unknown: float) -> dict[str, float]:
    """Each question token's weight, once per question.

    A word the knowledge base never uses weighs as much as its rarest word: "bánh flan"
    missing from every document is strong evidence the question is off topic.
    """
    return {t: _weight(t, idf, unknown) for t in query}


def rarity(asked: list[str], idf: dict[str, float], top: float) -> dict[str, float]:
    """Each question token the knowledge base knows, by its IDF as a share of the highest."""
    if top <= 0:
        return {}
    return {t: idf[t] / top for t in asked if t in idf}


def rarest_unwritten(rare: dict[str, float], seen: frozenset[str]) -> float:
    """The rarity of the rarest question token a passage (with its headings, title) lacks."""
    return max((r for t, r in rare.items() if t not in seen), default=0.0)


def unwritten_costs(missing: list[float], weight: float = DISTINCT_WEIGHT) -> list[float]:
    """What each candidate loses for lacking a rarer question word than the best candidate."""
    least = min(missing, default=0.0)
    return [weight * (m - least) for m in missing]


def coverage(weights: dict[str, float], passage: frozenset[str]) -> float:
    """Share of the question's (IDF-weighted) syllables and pairs the passage contains."""
    total = sum(weights.values())
    if total <= 0:
        return 0.0
    return sum(w for t, w in weights.items() if t in passage) / total
