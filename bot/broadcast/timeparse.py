"""Schedules as Vietnamese moderators type them ("8h30 mai", "thứ 2 hằng tuần 8:00") -> Recurrence.

Matching runs on a folded copy of the text (NFC, lower case, no diacritics, đ -> d), so typing
without diacritics and old or new tone placement all work. Each recognised phrase is blanked
out of that copy; anything left that is not a filler word is reported back, never guessed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from zoneinfo import ZoneInfo

from .recurrence import DAY_NAMES_VI, DEFAULT_TZ, Recurrence, local_instant, next_occurrence

ACCEPTED_FORMS_VI = """Các cách ghi lịch (có dấu hay không dấu đều được, giờ kiểu 24 giờ):
• Một lần: «20:00 25/12», «20:00 25/12/2026», «25/12 20:00», «20h 25/12», «8h30 mai», \
«8h30 ngày mai», «8:30 hôm nay», «8h tối thứ 6»
• Hằng ngày: «7:30 hằng ngày», «7:30 hàng ngày», «7h30 mỗi ngày»
• Thứ Hai đến thứ Sáu: «8:00 các ngày trong tuần», «8:00 ngày thường»
• Hằng tuần: «thứ 2 hằng tuần 8:00», «thứ hai, thứ tư hằng tuần 8h», «chủ nhật hằng tuần 19:00»
• Hằng tháng: «9:00 ngày 15 hằng tháng», «9:00 ngày cuối tháng»
• Cron theo giờ địa phương: «cron 0 8 * * 1-5»
• Giới hạn lịch lặp lại: thêm «từ 01/12 đến 31/12»
• «8h sáng» = 08:00, «12h trưa» = 12:00, «3h chiều» = 15:00, «8h tối» = 20:00"""


class ScheduleError(ValueError):
    """A schedule that cannot be accepted; str() is the whole Vietnamese reply."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"{reason}\n\n{ACCEPTED_FORMS_VI}")


_DATE = r"(?<![\d/])(\d{1,2})[/-](\d{1,2})(?:[/-](\d{4}|\d{2}))?(?![\d/])"
_DAY = r"(?:thu\s*(?:[2-7]|hai|ba|tu|bon|nam|sau|bay)|chu\s*nhat|cn|t[2-7])\b"
_DAY_INDEX = {"2": 0, "hai": 0, "3": 1, "ba": 1, "4": 2, "tu": 2, "bon": 2, "5": 3, "nam": 3}
_DAY_INDEX |= {"6": 4, "sau": 4, "7": 5, "bay": 5, "chunhat": 6, "cn": 6}
_TIME = (
    r"(?<![\d/:.-])(\d{1,2})\s*(?::|h(?![a-z])|g(?![a-z])|gio\b)"
    r"(?:\s*(\d{1,2})(?![\d/-])(?:\s*(?:phut|p)\b)?|\s*(ruoi)\b)?"
    r"(?:\s+(sang|trua|chieu|toi|dem)\b)?"
)
_PERIOD = r"\b(sang|trua|chieu|toi|dem)\b"
_PERIOD_VI = {"sang": "sáng", "trua": "trưa", "chieu": "chiều", "toi": "tối", "dem": "đêm"}
# Which clock hours each part of the day accepts, and the 24-hour time they mean.
_PERIOD_HOURS = {
    "sang": {h: h for h in range(12)},
    "trua": {11: 11, 12: 12, 1: 13, 2: 14, 13: 13, 14: 14},
    "chieu": {h: h + 12 if h < 12 else h for h in range(1, 20)},
    "toi": {h: h + 12 if h < 12 else h for h in [*range(5, 12), *range(17, 24)]},
    "dem": {h: (h + 12) % 24 if 8 <= h <= 12 else h for h in [*range(5), *range(8, 13), 22, 23]},
}
_RELATIVE = {"hom nay": 0, "nay": 0, "ngay mai": 1, "mai": 1, "ngay kia": 2, "ngay mot": 2}
_RELATIVE |= {"mot": 2, "hom qua": -1, "hom kia": -2}
_FILLER = r"\b(?:luc|vao|ngay|va|nhe|nha|gio|dang)\b|[,;.!&+-]"


class _Text:
    """The folded text; `take` blanks what it matched, so later patterns never see it again."""

    def __init__(self, text: str) -> None:
        self.original = unicodedata.normalize("NFC", text)
        folded: list[str] = []
        self.origin: list[int] = []
        for index, char in enumerate(self.original):
            base = "d" if char in "đĐ" else unicodedata.normalize("NFD", char.lower())[:1]
            if base and not unicodedata.category(base).startswith(("M", "C")):
                folded.append(base)  # marks and invisible characters are dropped
                self.origin.append(index)
        self.folded = "".join(folded)

    def take(self, pattern: str) -> list[re.Match[str]]:
        matches = list(re.finditer(pattern, self.folded))
        for m in matches:
            self.folded = self.folded[: m.start()] + " " * len(m[0]) + self.folded[m.end() :]
        return matches

    def source(self, m: re.Match[str]) -> str:
        """What the moderator typed where `m` matched the folded text."""
        return self.original[self.origin[m.start()] : self.origin[m.end() - 1] + 1]

    def leftover(self) -> list[str]:
        """Unrecognised words, quoted as typed."""
        self.take(_FILLER)
        return [self.source(m) for m in re.finditer(r"\S+", self.folded)]


def parse_schedule(text: str, now: dt.datetime, tz: str = DEFAULT_TZ) -> Recurrence:
    """The recurrence a moderator meant by `text`; ScheduleError (in Vietnamese) if unclear."""
    if now.tzinfo is None:
        raise ValueError("`now` must be an aware datetime")
    today = now.astimezone(ZoneInfo(tz)).date()
    words = _Text(text)
    if not words.folded.strip():
        raise ScheduleError("Chưa ghi lịch đăng bài.")
    if words.take(r"^\s*cron\b"):
        start, end = _window(words, today)
        expr = " ".join(words.folded.split())
        try:
            rec = Recurrence.cron(expr, start=start, end=end, tz=tz)
        except ValueError:
            raise ScheduleError(
                f"Biểu thức cron «{expr}» không hợp lệ: cần đúng 5 trường "
                "(phút giờ ngày tháng thứ), vd «cron 0 8 * * 1-5»."
            ) from None
        return _still_ahead(rec, now)
    return _calendar(words, now, today, tz)


def _calendar(words: _Text, now: dt.datetime, today: dt.date, tz: str) -> Recurrence:
    at = _time(words)
    start, end = _window(words, today)
    words.take(r"\b(?:mot|1)\s+lan\b")
    days: set[int] = set()
    weekly = bool(words.take(r"\b(?:hang|moi)\s+tuan\b"))
    weekly |= bool(words.take(rf"\b(?:moi|cac)\b(?=\s+{_DAY})"))
    if words.take(r"\b(?:(?:cac\s+)?ngay\s+(?:trong\s+tuan|lam\s+viec)|ngay\s+thuong)\b"):
        days, weekly = set(range(5)), True
    for m in words.take(rf"\b(?:tu\s+)?({_DAY})\s*(?:den|-)\s*({_DAY}|[2-7]\b)"):
        first, last = _day_index(m[1]), _day_index(m[2])
        days |= {d % 7 for d in range(first, last + 1 if first <= last else last + 8)}
        weekly = True
    dates = [_upcoming_date(m, today) for m in words.take(_DATE)]  # after "thứ 2-6"
    # "thứ 2 này" is the coming Monday; "tới" was set aside by _time.
    for m in words.take(rf"\b{_DAY}(?:\s*(?:,|va|&|\+)?\s*(?:{_DAY}|[2-7]\b))*(?:\s+nay\b)?"):
        days |= {_day_index(d) for d in re.findall(rf"{_DAY}|\b[2-7]\b", m[0])}
    daily = bool(words.take(r"\b(?:hang|moi)\s+ngay\b"))  # before "ngày mai" can claim "ngày"
    pattern = r"\b(?:" + "|".join(k.replace(" ", r"\s+") for k in _RELATIVE) + r")\b"
    relative = [_RELATIVE[" ".join(m[0].split())] for m in words.take(pattern)]
    monthly = bool(words.take(r"\b(?:ngay\s+)?cuoi\s+(?:(?:moi|hang)\s+)?thang\b"))
    month_days = [31] if monthly else []
    monthly |= bool(words.take(r"\b(?:hang|moi)\s+thang\b"))
    month_days += [int(m[1]) for m in words.take(r"\b(?:ngay|mung|mong)\s+(\d{1,2})\b")]
    if rest := words.leftover():
        raise ScheduleError(f"Không hiểu phần «{' '.join(rest)}» trong lịch.")
    if at is None:
        raise ScheduleError("Thiếu giờ đăng, vd «20:00» hoặc «8h30».")
    if daily + weekly + monthly > 1:
        raise ScheduleError("Lịch chỉ được một kiểu lặp: hằng ngày, hằng tuần hoặc hằng tháng.")
    if (daily or weekly or monthly) and (dates or relative):
        raise ScheduleError("Lịch lặp lại không kèm ngày cụ thể; giới hạn bằng «từ … đến …».")
    if month_days and not monthly:
        raise ScheduleError(
            f"«ngày {month_days[0]}» thiếu tháng: ghi «{month_days[0]}/12» cho một lần, "
            f"hoặc «ngày {month_days[0]} hằng tháng»."
        )
    if not (daily or weekly or monthly):
        if start or end:
            raise ScheduleError("«từ … đến …» chỉ dùng cho lịch lặp lại.")
        return _once(at, dates + [today + dt.timedelta(days=n) for n in relative], days, now, tz)
    if daily and days:
        raise ScheduleError("«Hằng ngày» không đi cùng thứ trong tuần; hãy dùng «hằng tuần».")
    if weekly and not days:
        raise ScheduleError("Thiếu thứ trong tuần, vd «thứ 2 hằng tuần 8:00».")
    if monthly and (days or len(month_days) != 1 or not 1 <= month_days[0] <= 31):
        raise ScheduleError("Lịch hằng tháng cần đúng một ngày từ 1 đến 31, vd «ngày 15».")
    if daily:
        rec = Recurrence.daily(at, start=start, end=end, tz=tz)
    elif monthly:
        rec = Recurrence.monthly(month_days[0], at, start=start, end=end, tz=tz)
    elif days == set(range(5)):
        rec = Recurrence.weekdays(at, start=start, end=end, tz=tz)
    else:
        rec = Recurrence.weekly(days, at, start=start, end=end, tz=tz)
    return _still_ahead(rec, now)


def _window(words: _Text, today: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """The optional "từ 01/12 đến 31/12" clause; years left out mean the coming dates."""
    # "thứ tư từ 02/12": the "tu" of "thứ tư" is a weekday, not "from".
    starts = words.take(rf"(?<!thu\s)\b(?:bat\s+dau\s+)?tu\s+(?:ngay\s+)?{_DATE}")
    ends = words.take(rf"\bden\s+(?:het\s+)?(?:ngay\s+)?{_DATE}")
    if len(starts) > 1 or len(ends) > 1:
        raise ScheduleError("Chỉ ghi một «từ …» và một «đến …».")
    end = _upcoming_date(ends[0], today) if ends else None
    if end is not None and end < today:
        raise ScheduleError(f"Ngày kết thúc {end:%d/%m/%Y} đã qua.")
    if not starts:
        return None, end
    day, month, year = _day_month(starts[0])
    if year is None:
        # The latest such date up to the end, or else the one nearest today: "từ 01/12"
        # written on 15/12 means a schedule that already runs, not one starting next December.
        _valid_date(day, month, 2000)
        if end:
            year = end.year - ((month, day) > (end.month, end.day))
        else:
            near = (today.year - 1, today.year, today.year + 1)
            year = min(near, key=lambda y: abs(dt.date(y, month, min(day, 28)) - today))
    start = _valid_date(day, month, year)
    if end is not None and start > end:
        raise ScheduleError(f"Ngày bắt đầu {start:%d/%m/%Y} sau ngày kết thúc {end:%d/%m/%Y}.")
    return start, end


def _day_month(m: re.Match[str]) -> tuple[int, int, int | None]:
    year = int(m[3]) if m[3] else None
    return int(m[1]), int(m[2]), year + 2000 if year is not None and year < 100 else year


def _upcoming_date(m: re.Match[str], today: dt.date) -> dt.date:
    """The date matched; without a year, its next occurrence from today on."""
    day, month, year = _day_month(m)
    if year is None:
        _valid_date(day, month, 2000)
        year = today.year + ((month, day) < (today.month, today.day))
    return _valid_date(day, month, year)


def _valid_date(day: int, month: int, year: int) -> dt.date:
    if not 1 <= month <= 12:
        raise ScheduleError(f"Tháng {month} không hợp lệ: tháng từ 1 đến 12.")
    if not 1 <= day <= calendar.monthrange(2000, month)[1]:  # 2000: a leap year
        raise ScheduleError(f"Ngày {day:02d}/{month:02d} không tồn tại.")
    if day > calendar.monthrange(year, month)[1]:
        raise ScheduleError(f"Năm {year} không phải năm nhuận, không có ngày 29/02.")
    return dt.date(year, month, day)


def _day_index(token: str) -> int:
    """0 = Monday … 6 = Sunday, from "thu 2", "thu hai", "t2", "chu nhat", "cn" or "2"."""
    word = re.sub(r"\s+", "", token)
    word = word[3:] if word.startswith("thu") else word[1:] if re.fullmatch(r"t\d", word) else word
    return _DAY_INDEX[word]


def _once(
    at: dt.time, named: list[dt.date], days: set[int], now: dt.datetime, tz: str
) -> Recurrence:
    """A one-off post: a date (or today/tomorrow) and/or one weekday, strictly in the future."""
    zone = ZoneInfo(tz)
    today = now.astimezone(zone).date()
    if len(days) > 1:
        raise ScheduleError("Nhiều thứ trong tuần: thêm «hằng tuần» nếu muốn lặp lại.")
    if len(named) > 1:
        raise ScheduleError("Lịch một lần chỉ ghi một ngày.")
    if not named and not days:
        raise ScheduleError("Thiếu ngày đăng: «hôm nay», «mai», «25/12» hay «hằng ngày»?")
    if named:
        day = named[0]
    else:
        (weekday,) = days
        day = today + dt.timedelta(days=(weekday - today.weekday()) % 7)
        if local_instant(day, at, zone) <= now:  # this week's has passed: the next one
            day += dt.timedelta(days=7)
    if days and day.weekday() not in days:
        raise ScheduleError(f"Ngày {day:%d/%m/%Y} là {DAY_NAMES_VI[day.weekday()]}, không khớp.")
    if local_instant(day, at, zone) <= now:
        raise ScheduleError(f"Thời điểm {at:%H:%M} {day:%d/%m/%Y} đã qua.")
    return Recurrence.once(dt.datetime.combine(day, at), tz=tz)


def _still_ahead(rec: Recurrence, now: dt.datetime) -> Recurrence:
    if next_occurrence(rec, now) is None:
        raise ScheduleError("Lịch này đã qua ngày kết thúc, không còn lần đăng nào.")
    return rec


def _time(words: _Text) -> dt.time | None:
    """The one wall-clock time in the text, 24-hour unless a part of the day says otherwise."""
    found = words.take(_TIME)
    if len(found) > 1:
        raise ScheduleError("Chỉ ghi một giờ đăng; cần nhiều giờ thì tạo nhiều lịch.")
    periods = [words.source(m) for m in words.take(_PERIOD)]
    if not found:
        return None
    m = found[0]
    hour, minute = int(m[1]), 30 if m[3] else int(m[2] or 0)
    if not 0 <= hour <= 23 or not 0 <= minute <= 59:
        raise ScheduleError(f"Giờ «{words.source(m).strip()}» không hợp lệ (0–23 giờ, 0–59 phút).")
    period = m[4] or _standalone_period(periods)
    if period:
        if hour not in _PERIOD_HOURS[period]:
            raise ScheduleError(f"«{hour}h {_PERIOD_VI[period]}» không rõ; ghi kiểu 24 giờ.")
        hour = _PERIOD_HOURS[period][hour]
    return dt.time(hour, minute)


def _standalone_period(typed: list[str]) -> str | None:
    """A part of the day written apart from the time ("tối nay 8h"); "tới" means "next"."""
    periods: set[str] = set()
    for word in typed:
        marks = unicodedata.normalize("NFD", word.lower())
        if "\u031b" in marks:  # the horn of "tới" ("coming"), not "tối" (evening)
            continue
        if word.lower() == "toi":
            raise ScheduleError("«toi» là «tối» hay «tới»? Hãy ghi có dấu, hoặc «8h tối».")
        periods.add(_Text(word).folded)
    if len(periods) > 1:
        raise ScheduleError("Ghi một buổi thôi (sáng, trưa, chiều, tối hoặc đêm).")
    return periods.pop() if periods else None
