"""What kind of fact a question asks for, and whether a sentence holds one.

"khi nào / bao giờ / ngày nào / năm nào" wants a date or a time, "bao nhiêu / mấy" a number,
"ai / cơ quan nào" a person or a body, "ở đâu" a place. A sentence that holds the asked
kind of fact is better evidence than one that only repeats the question's words, and a
passage with no such sentence at all is weaker evidence that the knowledge base answers.
Pure functions on text; questions may come without diacritics, so they are matched folded.
"""

from __future__ import annotations

import re

from bot.search.names import capital_runs, names, names_a_person
from bot.text import fold, nfc

TIME, NUMBER, AGENT, PLACE = "time", "number", "agent", "place"
PHONE, NAME, REFERENCE = "phone", "name", "reference"
SIGNER, RECIPIENTS = "signer", "recipients"
PERSON = "person"  # "tên là gì" asked of a person: a person's name, not an office's
# Facts a passage either writes in a form we can read for certain or does not answer: a phone
# number, a person's full name, a document's signer and recipients (only its foot gives them).
# Asked one of these, a member is better served by a decline than by a passage without it.
# (A date, number or place may be written in words we do not read: those only lower the
# confidence.)
CERTAIN = frozenset({PHONE, PERSON, SIGNER, RECIPIENTS})

_DOCUMENT = (
    "(?:van ban|ke hoach|quyet dinh|nghi quyet|chi thi|cong van|thong bao|huong dan|bao cao"
    "|quy che|quy dinh|chuong trinh|to trinh)"
)
_NUMBER_OF = "(?:so may|so bao nhieu|so hieu|so ky hieu|ky hieu)"
# an official document's number ("văn bản số mấy", "số hiệu của quyết định"): asked before
# any other kind, since its "mấy" or "số hiệu" would read as a count
_REFERENCE_ASKED = re.compile(
    rf"\b{_DOCUMENT}\b.*\b{_NUMBER_OF}\b|\b{_NUMBER_OF}\b.*\b{_DOCUMENT}\b"
)
# Matched on the folded, lower-cased question, most specific first ("năm nào" is a time
# even though "bao nhiêu năm" is a number).
# Who signed a document and whom it is sent to stand at its foot (the signer's title and name,
# the «Nơi nhận» list); asked only of a document: "Thắc mắc … gửi cho ai?" asks the content.
_DOCUMENT_NAMED = re.compile(rf"\b{_DOCUMENT}\b")
_SIGNER_ASKED = re.compile(r"\b(?:ai ky|nguoi ky|ky ban hanh|ky ten|ky boi ai)\b")
_RECIPIENTS_ASKED = re.compile(
    r"\bnoi nhan\b|\bgui (?:den |toi |cho |ve |di )?(?:nhung |cac )?(?:noi|dau|ai|don vi|co quan)\b"
)
_ASKS = (
    (PHONE, r"\b(?:so dien thoai|dien thoai lien he|hotline|duong day nong)\b"),
    (TIME, r"\b(?:khi nao|bao gio|may gio|luc nao|ngay nao|ngay may|nam nao|thang nao|thoi gian nao"
     r"|thoi diem nao|thoi ky nao|the ky nao|dip nao|ngay bao nhieu|nam bao nhieu)\b"),
    (NUMBER, r"\b(?:bao nhieu|bao lau|so luong|ty le|thu may|may (?:nguoi|nam|ngay|thang|lan|nuoc"
     r"|quoc gia|doan|chi bo|dang vien|noi dung|nhiem vu|giai|doi|bai|vong|tuan)"
     r"|so hieu|ma so)\b"),
    (PLACE, r"\b(?:o dau|tai dau|noi nao|dia diem nao|dia diem|o tinh nao|o nuoc nao"
     r"|quoc gia nao|tinh nao|thanh pho nao|huyen nao|xa nao|dia ban nao)\b"),
    (NAME, r"(?:^|\s)(?:ten la gi|ten gi|ho ten|ho va ten)(?:\s|$|\?)"),
    (AGENT, r"(?:^|\s)(?:ai|nguoi nao|co quan nao|don vi nao|to chuc nao|ban nao|bo nao"
     r"|nhan vat nao|chu tri|phu trach"
     # a document is named by its capitalised title or number ("Quy chế số 03-QC/ĐU")
     r"|van ban nao|quyet dinh nao|nghi quyet nao|chi thi nao|ke hoach nao)(?:\s|$|\?)"),
)  # fmt: skip
_ASKS_RE = tuple((kind, re.compile(pattern)) for kind, pattern in _ASKS)

_DATE = re.compile(
    r"\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b|\b(?:ngày|tháng|năm|quý|thế kỷ|thập niên|giờ)\s+"
    r"(?:\d+|[IVXL]+\b)|\b(?:1[0-9]|20)\d{2}\b|\b\d{1,2}\s*(?:giờ|h)\s*\d{0,2}\b"
    # times written in words or by the calendar: "ngày mồng năm", "hằng tháng", "thứ Năm"
    r"|\b(?:mồng|mùng)\s+\w+|\bhằng\s+(?:ngày|tuần|tháng|quý|năm)\b"
    r"|\bthứ\s+(?:hai|ba|tư|năm|sáu|bảy)\b|\bchủ nhật\b|\b(?:đầu|cuối|giữa)\s+(?:năm|tháng|quý)\b",
    re.IGNORECASE,
)
# A term of office or a plan's span ("nhiệm kỳ 2025 - 2030", "giai đoạn 2021-2025") names
# a period, not when something happens: no answer to "khi nào".
# So is the start of a span that runs to an event ("từ năm 2025 đến Đại hội XIV"): it says
# when the span starts, not when the event is.
_TERM = re.compile(
    r"\b(?:1[0-9]|20)\d{2}\s*[-–]\s*(?:(?:1[0-9]|20)\d{2}|\d{2})\b"
    r"|\btừ\s+(?:(?:ngày|tháng|năm|quý)\s+)?[\d/]+\s+(?:đến|tới)\s+"
    r"(?!(?:ngày|tháng|năm|quý|nay|cuối|đầu|giữa|hết)\b|\d)",
    re.IGNORECASE,
)
# The whole of a written date, digits included, to take it out of a sentence.
_DATED = re.compile(
    r"\b(?:ngày|tháng|năm|quý)\s+(?:\d{1,2}/\d{1,2}(?:/\d{2,4})?|\d+|[IVX]+)\b"
    r"|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b|\b(?:1[0-9]|20)\d{2}\b",
    re.IGNORECASE,
)
_ITEM_NUMBER = re.compile(r"^\s*(?:\d+(?:\.\d+)*\s*[.)-]|[a-zđ]\))\s+", re.IGNORECASE)
# not "năm": far more often "year" than "five"
_NUMBER_WORDS = (
    "một hai ba bốn sáu bảy tám chín mười mươi trăm nghìn ngàn triệu tỷ tỉ nửa "
    "hàng chục hàng trăm hàng nghìn"
).split()
_NUMBER = re.compile(r"\d|\b(?:" + "|".join(_NUMBER_WORDS) + r")\b", re.IGNORECASE)
# A document's own number opens a line of its letterhead ("Số: 45-KH/ĐU"); one cited inside a
# sentence ("Thực hiện Hướng dẫn số 124-HD/BTGTU") is another document's.
_OWN_NUMBER = re.compile(r"^\s*Số\s*:?\s*\d+[-/]\S*[A-ZĐ]", re.MULTILINE)
# A phone number: ten or eleven digits, grouped or not ("0272 3851 234", "(0272) 3851 234",
# "+84 272 …").
_PHONE = re.compile(r"(?<![\d.,])\(?(?:\+\s?84|0)(?:\)?[\s.-]?\d){8,10}(?![\d,])")
_PLACE_WORDS = re.compile(
    r"\b(?:tại|ở|tỉnh|thành phố|huyện|quận|xã|phường|thôn|hội trường|nhà văn hóa|trụ sở)\b",
    re.IGNORECASE,
)


_COUNTED = re.compile(r"\b(?:bao nhieu|may)\s+(\w+)(?:\s+(\w+))?")
_NOT_UNITS = frozenset("la duoc co vay a nhi roi nua da se bi nay do cua trong tren o va".split())
_FOLDED_NUMBER = re.compile(
    r"(?:\d[\d.,]*%?|\b(?:mot|hai|ba|bon|sau|bay|tam|chin|muoi|tram|nghin|ngan|trieu|ty|nua)\b)"
)


def _folded(text: str) -> str:
    return " ".join(fold(nfc(text)).lower().replace("?", " ").split())


# "kinh phí … là bao nhiêu" asks for an amount of money, written in đồng (or a share, in %)
_MONEY = re.compile(r"\b(?:kinh phi|chi phi|muc phi|dang phi|le phi|hoc phi|ngan sach|muc luong"
                    r"|tien luong|muc thuong|muc ho tro)\b")  # fmt: skip


def asked_unit(question: str) -> str:
    """What a "bao nhiêu X" / "mấy X" question counts: the folded syllables of X (two at
    most: "tử thi" is counted as "25 thi thể" too), or ""."""
    folded = _folded(question)
    if "thu may" in folded:  # an ordinal
        return ""
    match = _COUNTED.search(folded)
    if match is None or match.group(1) in _NOT_UNITS:
        return "tien" if _MONEY.search(folded) else ""
    second = match.group(2)
    return match.group(1) if not second or second in _NOT_UNITS else f"{match.group(1)} {second}"


# What a count is written in when it is not written in the asked word itself.
_WRITTEN_AS = {
    # bao nhiêu tiền → "3.000.000 đồng"; a fee is often a share of the income ("1%")
    "tien": {"dong", "trieu", "ty", "nghin", "ngan", "usd", "%"},
    "phan": {"%", "phan"},  # bao nhiêu phần trăm → "90%"
}


_RANGE = frozenset({"den", "toi", "-", "–", "hoac"})


def given_numbers(question: str) -> frozenset[str]:
    """The numbers a question states itself ("năm 2024"): an answer must add one."""
    return frozenset(re.findall(r"\d+", question))


def given_facts(question: str) -> frozenset[str]:
    """What a question states itself: its numbers and its (folded) words. A name it already
    says ("Giải Nhất", "Huyện ủy") is no answer to "tên là gì"."""
    return given_numbers(question) | frozenset(_folded(question).split())


# Asked "tên là gì" of someone ("báo cáo viên", "đồng chí"), a member wants a person's name.
_PERSON_ASKED = re.compile(
    r"\b(?:bao cao vien|tuyen truyen vien|dong chi|bi thu|chu tich|giam doc|truong ban"
    r"|chu nhiem|truong phong|can bo|nguoi|tac gia|thi sinh|dai bieu|giam khao)\b"
)


def _new(match: re.Match[str], given: frozenset[str]) -> bool:
    digits = re.findall(r"\d+", match.group())
    return not digits or not set(digits) <= given


def counts(unit: str, sentence: str, given: frozenset[str] = frozenset()) -> bool:
    """True when the sentence gives a number of `unit` ("412 đảng viên", "ba thí sinh")."""
    folded = _folded(sentence)
    words = _WRITTEN_AS.get(unit.split()[0], set()) | set(unit.split())
    for match in _FOLDED_NUMBER.finditer(folded):
        if not _new(match, given):
            continue
        if match.group().endswith("%") and "%" in words:
            return True
        after = [w.strip('.,;:!?)”"') for w in folded[match.end() :].split()[:4]]
        # the thing counted follows the number, or the end of its range ("3 đến 5 đồng chí"),
        # not further on: "5 đồng chí" counts no "chi ủy viên"
        if len(after) > 2 and after[0] in _RANGE and _FOLDED_NUMBER.fullmatch(after[1]):
            after = after[2:]
        if words.intersection(after[:1]):
            return True
    return False


def asked_documents(question: str) -> frozenset[str]:
    """The kinds of document a question names ("ke hoach", "quyet dinh"), folded; "văn bản"
    names any."""
    return frozenset(_DOCUMENT_NAMED.findall(_folded(question))) - {"van ban"}


def asked_kind(question: str) -> str:
    """The kind of fact the question asks for, or "" when it asks for an explanation."""
    folded = _folded(question)
    lowered = nfc(question).lower()
    if _REFERENCE_ASKED.search(folded):
        return REFERENCE
    spoken = " ".join(lowered.replace("?", " ").split())  # aligned with `folded`
    if _DOCUMENT_NAMED.search(folded):
        for kind, pattern in ((SIGNER, _SIGNER_ASKED), (RECIPIENTS, _RECIPIENTS_ASKED)):
            if any(_as_written(m, spoken, _DOCUMENT_WORDS) for m in pattern.finditer(folded)):
                return kind
    if re.search(r"\bmấy\b", lowered) and not re.search(r"\bmấy (?:giờ|tháng)\b", lowered):
        return NUMBER
    for kind, pattern in _ASKS_RE:
        if any(_as_written(m, spoken) for m in pattern.finditer(folded)):
            return PERSON if kind == NAME and _PERSON_ASKED.search(folded) else kind
    return ""


# Question words whose folded form other words share: "khí nào" (which gas) is not "khi
# nào", "quyền lực nào" holds no "lúc nào", "máy" is not "mấy". A word typed without marks
# still counts.
_QUESTION_WORDS = {
    "khi": "khi", "luc": "lúc", "nao": "nào", "gio": "giờ", "may": "mấy", "bao": "bao",
    "nhieu": "nhiêu", "dau": "đâu", "ai": "ai", "gi": "gì", "ten": "tên", "lau": "lâu",
}  # fmt: skip


# "ký" (signed) is not "kỳ" (a term) nor "kỷ" (a century); asked of a document only
_DOCUMENT_WORDS = {**_QUESTION_WORDS, "ky": "ký", "gui": "gửi", "nhan": "nhận"}


def _as_written(
    match: re.Match[str], spoken: str, written_as: dict[str, str] = _QUESTION_WORDS
) -> bool:
    """True when the folded match is the question phrase as the member wrote it."""
    if len(spoken) != len(match.string):
        return True
    written = spoken[match.start() : match.end()].split()
    return all(
        w == f or w == written_as.get(f, w)
        for f, w in zip(match.group().split(), written, strict=False)
    )


def holds(kind: str, sentence: str, unit: str = "", given: frozenset[str] = frozenset()) -> bool:
    """True when the sentence holds a fact of the asked kind (always True for no kind) that
    the question does not state itself (`given` numbers); for a number of something
    ("bao nhiêu đảng viên"), a number of that very thing."""
    if not kind:
        return True
    if kind == NUMBER and unit:
        return counts(unit, sentence, given)
    if kind == TIME:
        return any(_new(m, given) for m in _DATE.finditer(_TERM.sub(" ", sentence)))
    if kind == NUMBER:
        # a number inside a date ("ngày 23 tháng 6 năm 2025") is when, not how many
        # and a list item's own number ("3. Đưa sổ tay …") is its place in the list
        undated = _DATED.sub(" ", _ITEM_NUMBER.sub(" ", sentence))
        return any(_new(m, given) for m in _NUMBER.finditer(undated))
    if kind == PHONE:
        return bool(_PHONE.search(sentence))
    if kind == REFERENCE:
        return bool(_OWN_NUMBER.search(sentence))
    if kind in (SIGNER, RECIPIENTS):
        return False  # told by the lines of a document's foot together, not by one sentence
    if kind == NAME:
        return bool(names(sentence, given))
    if kind == PERSON:
        return names_a_person(sentence, given)
    # "ai" is as often answered by a body or a group in common words ("các tổ chức quốc tế")
    # as by a name: any capitalised words will do, even the question's own
    capitalised = bool(capital_runs(sentence))
    if kind == PLACE:
        return bool(_PLACE_WORDS.search(sentence)) or capitalised
    return capitalised
