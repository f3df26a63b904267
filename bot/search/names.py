"""Who a sentence names: its capitalised words, read as names.

Vietnamese capitalises names, and by convention some common words of official writing
("Đảng", "Đại hội"); a sentence, list item or table cell opens with a capital that names no
one. A person's full name opens with a family name ("Nguyễn Văn An"): "Ban Tuyên giáo Đảng ủy
xã" is an office, "Giải Nhất" a prize, and the words after "xã", "tại" a place.
"""

from __future__ import annotations

import re

from bot.text import fold, nfc

_ROMAN = re.compile(r"^[ivxlc]+\.?$")
# Capitalised by convention in official writing and present in nearly every passage of a Party
# knowledge base ("Đảng", "Đại hội", "Nhân dân"): on their own they name no one.
_CONVENTIONAL = frozenset("dang dai hoi nhan nha to".split())


def _new_words(run: list[str], given: frozenset[str]) -> list[str]:
    """The words of a capitalised run that name something the question does not state."""
    folded = (fold(nfc(w)).lower().strip(".,;:!?)”\"'’") for w in run)
    return [f for f in folded if f not in given and f not in _CONVENTIONAL and not _ROMAN.match(f)]


def capital_runs(sentence: str) -> list[list[str]]:
    """Runs of capitalised words; the capital that opens a sentence, list item or table cell
    is no name, so the run it starts loses that word."""
    runs: list[list[str]] = []
    current: list[str] = []
    opens = True
    for word in sentence.split():
        letters = [c for c in word if c.isalpha()]
        capital = bool(letters) and letters[0].isupper()
        if capital and not opens:
            current.append(word)
        elif current:
            runs.append(current)
            current = []
        # inside one sentence a full stop ends an abbreviation ("E.I. du Pont", "St. Johns")
        opens = word in ("|", "•") or word.endswith("|")
    if current:
        runs.append(current)
    return runs


# The common family names, less those that open an office's or a place's name as often
# ("Đoàn Thanh niên", "Văn phòng", "Phó Bí thư", "Hà Nội", "Cao Bằng", "Kim Sơn").
_FAMILY_NAMES = frozenset(
    "nguyễn trần lê phạm hoàng huỳnh phan vũ võ đặng bùi đỗ hồ ngô dương lý đào vương trịnh "
    "trương lâm phùng mai tô tạ châu lưu lương đinh kiều quách tăng triệu chu lò đàm lục mạc "
    "nông hứa thạch khổng bạch doãn diệp hàn khúc lã nghiêm ninh phí tống".split()
)


# the capitalised words after these name a place ("xã Tân Phú"), not a person
_PLACE_BEFORE = frozenset("xã huyện tỉnh thôn ấp phường quận trấn phố tại ở".split())


def _unplaced(sentence: str) -> str:
    """The sentence without the place names its place words introduce."""
    kept, placing = [], False
    for word in sentence.split():
        capital = word[:1].isupper()
        placing = (placing and capital) or word.lower() in _PLACE_BEFORE
        if not (placing and capital):
            kept.append(word)
    return " ".join(kept)


def names_a_person(sentence: str, given: frozenset[str]) -> bool:
    """True when the sentence writes a person's full name (a family name and one capitalised
    syllable or more) that the question does not state; a name may open the sentence."""
    run: list[str] = []
    for word in [*_unplaced(sentence).split(), ""]:
        if word[:1].isupper():
            run.append(word)
            continue
        if run and run[0].lower() in _FAMILY_NAMES and len(_new_words(run, given)) >= 2:
            return True
        run = []
    return False


def names(sentence: str, given: frozenset[str] = frozenset()) -> list[str]:
    """The capitalised names of a sentence that the question does not state itself (asked
    "tên là gì", a member wants a name: the body the question names is none)."""
    found = []
    for words in capital_runs(sentence):
        if _new_words(words, given):
            found.append(" ".join(words))
    return found


def is_name_line(line: str) -> bool:
    """A person's name on a line of its own, as under a signature ("Bùi Quang Nhựt"): two to
    five capitalised syllables and nothing else."""
    words = line.split()
    return 2 <= len(words) <= 5 and all(
        w.isalpha() and w[0].isupper() and w[1:].islower() for w in words
    )
