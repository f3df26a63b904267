"""Vietnamese text normalisation: NFC, one tone-mark placement, folding, tokens, accent restore."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền sắc ngã hỏi nặng
_WORD = re.compile(r"\w+", re.UNICODE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028\u2029\ufeff]")
# "Old" placement puts the tone on the first vowel of open oa/oe/uy (hòa, thủy); "new" on the
# second (hoà, thuỷ). Both are common; the old one is what most official documents use.
_OPEN_GLIDE = re.compile(r"^(.*?)([oOuU])([aAeEyY])$")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def clean(text: str) -> str:
    """NFC, control characters removed, whitespace collapsed."""
    text = _CONTROL.sub(" ", nfc(text))
    return re.sub(r"\s+", " ", text).strip()


def _canonical_syllable(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    tones = [c for c in decomposed if c in _TONES]
    if len(tones) != 1:
        return word
    bare = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    match = _OPEN_GLIDE.match(bare)
    if not match or match.group(1).lower().endswith(("q", "g")):
        return word  # quý, quỷ, gìa: the u/i there belongs to the consonant
    head, first, second = match.groups()
    return nfc(head + first + tones[0] + second)


# Only words ending in o/u + a toned a/e/y can be in the new style: the others are left alone,
# which keeps this cheap on long documents.
_NEW_STYLE = re.compile(r"\w*[oOuU][àáảãạèéẻẽẹỳýỷỹỵÀÁẢÃẠÈÉẺẼẸỲÝỶỸỴ](?!\w)")


def canonical_tones(text: str) -> str:
    """Rewrite new-style tone placement (hoà, thuỷ) to the old style (hòa, thủy)."""
    return _NEW_STYLE.sub(lambda m: _canonical_syllable(m.group(0)), nfc(text))


def normalise(text: str) -> str:
    """The form every text is embedded and indexed in: clean, NFC, canonical tone marks."""
    return canonical_tones(clean(text))


def fold(text: str) -> str:
    """Lower case without diacritics, đ→d: what a member types on a phone without marks."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.replace("đ", "d").replace("Đ", "d")


def syllables(text: str) -> list[str]:
    """Lower-cased, canonical syllables (diacritics kept)."""
    return _WORD.findall(canonical_tones(nfc(text)).lower())


def tokens(text: str) -> list[str]:
    """Folded syllables plus folded syllable bigrams ("ban", "chi", "ban_chi")."""
    syl = _WORD.findall(fold(nfc(text)))  # folding erases tone placement: no canonical step
    return syl + [f"{a}_{b}" for a, b in zip(syl, syl[1:], strict=False)]


# Words that make a question a question, not what it is about (folded forms).
QUESTION_STOPWORDS = frozenset(
    (
        "gi nao bao nhieu ai dau sao the nhu khong chua co la cua duoc cho hoi xin vay a "
        "nhi voi ve o tai mot cac nhung nay do thi ma va hay hoac khi luc may ra"
    ).split()
)


def content_tokens(text: str) -> list[str]:
    """Query tokens without question words, nor pairs made only of them."""
    syl = _WORD.findall(fold(nfc(text)))
    keep = [s for s in syl if s not in QUESTION_STOPWORDS]
    pairs = [
        f"{a}_{b}"
        for a, b in zip(syl, syl[1:], strict=False)
        if a not in QUESTION_STOPWORDS or b not in QUESTION_STOPWORDS
    ]
    return list(dict.fromkeys(keep + pairs))


def has_diacritics(text: str) -> bool:
    """True when any letter carries a Vietnamese mark (or is đ)."""
    low = nfc(text).lower()
    return fold(low) != low


def has_words(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


# Words of questions rather than of documents, so "co bao nhieu" reads "có bao nhiêu" even
# when the knowledge base never asks anything.
QUESTION_WORDS = (
    "có bao nhiêu. bao nhiêu. khi nào. lúc nào. ngày nào. năm nào. ở đâu. là gì. là ai. "
    "ai là. như thế nào. thế nào. tại sao. vì sao. làm sao. để làm gì. gồm những gì. "
    "những gì. có phải. được không. có được không. cái gì. nội dung gì. mấy. bao giờ."
)


@dataclass
class Vocabulary:
    """The knowledge base's own syllables, to put the marks back on a query typed without them."""

    forms: dict[str, Counter[str]] = field(default_factory=dict)
    pairs: Counter[tuple[str, str]] = field(default_factory=Counter)

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> Vocabulary:
        vocab = cls()
        vocab.add(QUESTION_WORDS)
        for text in texts:
            vocab.add(text)
        return vocab

    def add(self, text: str) -> None:
        syl = syllables(text)
        for s in syl:
            self.forms.setdefault(fold(s), Counter())[s] += 1
        self.pairs.update(zip(syl, syl[1:], strict=False))

    def prune(self, max_pairs: int = 300_000) -> None:
        """Forget pairs seen once when there are too many: they cost memory, rarely help."""
        if len(self.pairs) > max_pairs:
            self.pairs = Counter({p: n for p, n in self.pairs.items() if n > 1})

    def to_dict(self) -> dict:
        return {
            "forms": {k: dict(v) for k, v in self.forms.items()},
            "pairs": [[a, b, n] for (a, b), n in self.pairs.items()],
        }

    @classmethod
    def from_dict(cls, data: dict) -> Vocabulary:
        return cls(
            forms={k: Counter(v) for k, v in data["forms"].items()},
            pairs=Counter({(a, b): n for a, b, n in data["pairs"]}),
        )

    def restore(self, query: str) -> str:
        """Best accented reading of a mark-less query (Viterbi over corpus syllable pairs)."""
        words = _WORD.findall(nfc(query).lower())
        if not words:
            return query
        lattice = [self._candidates(w) for w in words]
        # score = log P(first) + Σ log P(next | prev), add-one smoothed
        best: dict[str, tuple[float, list[str]]] = {
            c: (math.log(n + 1), [c]) for c, n in lattice[0]
        }
        for cands in lattice[1:]:
            step: dict[str, tuple[float, list[str]]] = {}
            for cand, count in cands:
                unigram = math.log(count + 1) * 0.5
                score, path = max(
                    (
                        (
                            prev_score
                            + 2.0 * math.log(self.pairs.get((prev, cand), 0) + 1)
                            + unigram,
                            prev_path,
                        )
                        for prev, (prev_score, prev_path) in best.items()
                    ),
                    key=lambda item: item[0],
                )
                step[cand] = (score, [*path, cand])
            best = step
        return " ".join(max(best.values(), key=lambda item: item[0])[1])

    def _candidates(self, word: str) -> list[tuple[str, int]]:
        forms = self.forms.get(fold(word))
        if not forms:
            return [(word, 0)]
        return forms.most_common(6)


def thousands(number: int) -> str:
    """A whole number as Vietnamese writes it: 12.345 (a dot between thousands)."""
    return f"{number:,}".replace(",", ".")
