"""When a scheduled post goes out: the `Recurrence` value and its pure calendar arithmetic.

Wall-clock times are local to the recurrence's zone. A local time that does not exist (the
spring-forward gap) is shifted forward by the gap, 02:30 -> 03:30; an ambiguous one (fall-back)
happens once, at its first occurrence. A monthly day past the month's end falls on the month's
last day: day 31 is 30/04, 28/02 or 29/02 in a leap year.

Serialised form, one line (`to_text` / `from_text`), `;`-separated options always ending in tz:

    once:2026-12-25@20:00;tz=Asia/Ho_Chi_Minh
    daily@07:30;start=2026-12-01;end=2026-12-31;tz=Asia/Ho_Chi_Minh
    weekdays@08:00;tz=…        weekly:mon,wed@08:00;tz=…
    monthly:31@09:00;tz=…      cron:0 8 * * 1-5;tz=…
"""

from __future__ import annotations

import calendar
import datetime as dt
import heapq
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal, TypedDict, Unpack
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import CroniterBadDateError, croniter

Kind = Literal["once", "daily", "weekdays", "weekly", "monthly", "cron"]
KINDS: tuple[Kind, ...] = ("once", "daily", "weekdays", "weekly", "monthly", "cron")
DEFAULT_TZ = "Asia/Ho_Chi_Minh"
UTC = dt.UTC
DAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES_VI = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")
# Longer than any DST gap, so a later wall time never resolves to an earlier instant than
# one already emitted (see `_instants`).
_SLACK = dt.timedelta(hours=3)


class Window(TypedDict, total=False):
    """The options every recurring kind takes: local start and end dates, and the zone."""

    start: dt.date | None
    end: dt.date | None
    tz: str


@dataclass(frozen=True)
class Recurrence:
    """A schedule: once, daily, weekdays, weekly, monthly or cron, in one time zone."""

    kind: Kind
    time: dt.time | None = None  # local wall-clock time; None only for cron
    date: dt.date | None = None  # once
    days: frozenset[int] = frozenset()  # weekly: 0 = Monday … 6 = Sunday
    day_of_month: int | None = None  # monthly: 1…31, clamped to the month's last day
    cron_expr: str | None = None  # cron: five fields, evaluated on local wall-clock time
    start: dt.date | None = None  # first local date, inclusive
    end: dt.date | None = None  # last local date, inclusive
    tz: str = DEFAULT_TZ

    def __post_init__(self) -> None:
        object.__setattr__(self, "days", frozenset(self.days))  # a list would not hash
        if problem := _problem(self):
            raise ValueError(problem)

    @classmethod
    def once(cls, at: dt.datetime, *, tz: str = DEFAULT_TZ) -> Recurrence:
        """One post at `at`: naive means wall-clock time in `tz`, aware is converted to it."""
        if at.tzinfo is not None:
            at = at.astimezone(_zone(tz)).replace(tzinfo=None)
        return cls("once", time=at.time().replace(fold=0), date=at.date(), tz=tz)

    @classmethod
    def daily(cls, time: dt.time, **window: Unpack[Window]) -> Recurrence:
        """Every day at `time`."""
        return cls("daily", time=time, **window)

    @classmethod
    def weekdays(cls, time: dt.time, **window: Unpack[Window]) -> Recurrence:
        """Monday to Friday at `time`."""
        return cls("weekdays", time=time, **window)

    @classmethod
    def weekly(cls, days: Iterable[int], time: dt.time, **window: Unpack[Window]) -> Recurrence:
        """Every week on `days` (0 = Monday … 6 = Sunday) at `time`."""
        return cls("weekly", time=time, days=frozenset(days), **window)

    @classmethod
    def monthly(cls, day_of_month: int, time: dt.time, **window: Unpack[Window]) -> Recurrence:
        """Every month on `day_of_month` (or the month's last day, if shorter) at `time`."""
        return cls("monthly", time=time, day_of_month=day_of_month, **window)

    @classmethod
    def cron(cls, expr: str, **window: Unpack[Window]) -> Recurrence:
        """A five-field cron expression evaluated on local wall-clock time."""
        return cls("cron", cron_expr=" ".join(expr.split()), **window)

    @property
    def zone(self) -> ZoneInfo:
        return _zone(self.tz)

    def to_text(self) -> str:
        """The compact one-line form stored in the database."""
        head = {
            "once": f"once:{self.date.isoformat() if self.date else ''}",
            "weekly": "weekly:" + ",".join(DAY_CODES[d] for d in sorted(self.days)),
            "monthly": f"monthly:{self.day_of_month}",
            "cron": f"cron:{self.cron_expr}",
        }.get(self.kind, self.kind)
        if self.time is not None:
            head += f"@{self.time:%H:%M}"
        options = [
            f"{key}={day.isoformat()}"
            for key, day in (("start", self.start), ("end", self.end))
            if day
        ]
        return ";".join([head, *options, f"tz={self.tz}"])

    @classmethod
    def from_text(cls, text: str) -> Recurrence:
        """Parse `to_text` output; ValueError on anything else."""
        head, *pairs = text.strip().split(";")
        options = {key: value for key, _, value in (pair.partition("=") for pair in pairs)}
        if len(options) != len(pairs) or not options.keys() <= {"start", "end", "tz"}:
            raise ValueError(f"bad recurrence options: {text!r}")
        # A cron expression never contains "@" here: five fields are required, macros rejected.
        spec, _, clock = head.partition("@")
        kind, _, arg = spec.partition(":")
        if kind not in KINDS:
            raise ValueError(f"unknown recurrence kind: {text!r}")
        try:
            return cls(
                kind,  # type: ignore[arg-type]
                time=dt.time.fromisoformat(clock) if clock else None,
                date=dt.date.fromisoformat(arg) if kind == "once" else None,
                days=frozenset(DAY_CODES.index(c) for c in arg.split(","))
                if kind == "weekly"
                else frozenset(),
                day_of_month=int(arg) if kind == "monthly" else None,
                cron_expr=arg if kind == "cron" else None,
                start=dt.date.fromisoformat(options["start"]) if "start" in options else None,
                end=dt.date.fromisoformat(options["end"]) if "end" in options else None,
                tz=options.get("tz", DEFAULT_TZ),
            )
        except (TypeError, ValueError) as exc:
            raise ValueError(f"bad recurrence: {text!r}") from exc


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone: {name!r}") from exc


def _problem(rec: Recurrence) -> str | None:
    """Why `rec` is not a valid recurrence, or None."""
    _zone(rec.tz)
    if rec.kind not in KINDS:
        return f"unknown kind {rec.kind!r}"
    if (rec.kind == "cron") != (rec.time is None):
        return "a time is required, except for cron"
    if rec.time is not None and (rec.time.tzinfo or rec.time.second or rec.time.microsecond):
        return "time must be naive local wall-clock time, whole minutes"
    if (rec.kind == "once") != (rec.date is not None):
        return "a date is for once only"
    if (rec.kind == "weekly") != bool(rec.days) or not rec.days <= set(range(7)):
        return "weekly needs days in 0..6, and only weekly has days"
    if (rec.kind == "monthly") != (rec.day_of_month is not None):
        return "day_of_month is for monthly only"
    if rec.day_of_month is not None and not 1 <= rec.day_of_month <= 31:
        return "day_of_month must be 1..31"
    if (rec.kind == "cron") != (rec.cron_expr is not None):
        return "cron_expr is for cron only"
    if rec.cron_expr is not None and (
        len(rec.cron_expr.split()) != 5 or not croniter.is_valid(rec.cron_expr)
    ):
        return f"not a five-field cron expression: {rec.cron_expr!r}"
    if rec.start and rec.end and rec.start > rec.end:
        return "start is after end"
    return None


def next_occurrence(rec: Recurrence, after: dt.datetime) -> dt.datetime | None:
    """The first occurrence strictly after `after`, in UTC; None once the schedule has ended."""
    return next(_instants(rec, after), None)


def occurrences_between(rec: Recurrence, start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
    """Occurrences with start < t <= end, in UTC, ascending; `(last tick, now]` never repeats."""
    if end.tzinfo is None:
        raise ValueError("`end` must be an aware datetime")
    found: list[dt.datetime] = []
    for instant in _instants(rec, start):
        if instant > end:
            break
        found.append(instant)
    return found


def local_instant(day: dt.date, at: dt.time, zone: ZoneInfo) -> dt.datetime:
    """The UTC instant of a wall-clock time: gaps shift forward, ambiguous times take the first."""
    # fold=0 reads a gap time with the offset before the transition (02:30+01:00 = 03:30+02:00)
    # and an ambiguous time as its first occurrence, which is exactly the documented rule.
    return dt.datetime.combine(day, at, tzinfo=zone).replace(fold=0).astimezone(UTC)


def _instants(rec: Recurrence, after: dt.datetime) -> Iterator[dt.datetime]:
    """Occurrences strictly after `after`, ascending and without duplicates."""
    if after.tzinfo is None:
        raise ValueError("`after` must be an aware datetime")
    zone = rec.zone
    after = after.astimezone(UTC)
    # Start a little early: an offset change can put an earlier wall time after `after`.
    first_wall = after.astimezone(zone).replace(tzinfo=None) - _SLACK
    pending: list[dt.datetime] = []
    last = after
    for wall in _wall_times(rec, first_wall):
        instant = local_instant(wall.date(), wall.time(), zone)
        heapq.heappush(pending, instant)
        # A gap makes a later wall time resolve up to one gap earlier; beyond _SLACK it cannot.
        while pending and pending[0] <= instant - _SLACK:
            if (ready := heapq.heappop(pending)) > last:
                last = ready
                yield ready
    while pending:
        if (ready := heapq.heappop(pending)) > last:
            last = ready
            yield ready


def _wall_times(rec: Recurrence, from_wall: dt.datetime) -> Iterator[dt.datetime]:
    """Local wall-clock times of `rec` from about `from_wall` on, ascending, within start..end."""
    first_day = max(from_wall.date(), rec.start or dt.date.min)
    if rec.kind == "cron":
        yield from _cron_times(rec, max(from_wall, dt.datetime.combine(first_day, dt.time())))
        return
    assert rec.time is not None
    if rec.kind == "once":
        assert rec.date is not None
        if first_day <= rec.date <= (rec.end or rec.date):
            yield dt.datetime.combine(rec.date, rec.time)
        return
    day = first_day
    while rec.end is None or day <= rec.end:
        if _falls_on(rec, day):
            yield dt.datetime.combine(day, rec.time)
        day += dt.timedelta(days=1)


def _falls_on(rec: Recurrence, day: dt.date) -> bool:
    if rec.kind == "weekdays":
        return day.weekday() < 5
    if rec.kind == "weekly":
        return day.weekday() in rec.days
    if rec.kind == "monthly":
        assert rec.day_of_month is not None
        return day.day == min(rec.day_of_month, calendar.monthrange(day.year, day.month)[1])
    return True


def _cron_times(rec: Recurrence, from_wall: dt.datetime) -> Iterator[dt.datetime]:
    # Naive datetimes keep croniter on pure calendar arithmetic; zones are applied afterwards.
    times = croniter(rec.cron_expr, from_wall - dt.timedelta(minutes=1))
    while True:
        try:
            wall = times.get_next(dt.datetime)
        except CroniterBadDateError:  # an expression that never matches again, e.g. 30 Feb
            return
        if rec.end is not None and wall.date() > rec.end:
            return
        yield wall


def describe(rec: Recurrence) -> str:
    """A Vietnamese sentence for moderators, e.g. "thứ Hai, thứ Tư hằng tuần lúc 08:00"."""
    at = f"lúc {rec.time:%H:%M}" if rec.time else ""
    if rec.kind == "once":
        assert rec.date is not None
        text = f"một lần {at} {rec.date:%d/%m/%Y}"
    elif rec.kind == "daily":
        text = f"hằng ngày {at}"
    elif rec.kind == "weekdays":
        text = f"các ngày trong tuần (thứ Hai đến thứ Sáu) {at}"
    elif rec.kind == "weekly":
        text = ", ".join(DAY_NAMES_VI[d] for d in sorted(rec.days)) + f" hằng tuần {at}"
    elif rec.kind == "monthly":
        last = " (tháng ngắn hơn thì vào ngày cuối tháng)" if (rec.day_of_month or 0) > 28 else ""
        text = f"ngày {rec.day_of_month} hằng tháng {at}{last}"
    else:
        text = f"theo lịch cron «{rec.cron_expr}»"
    if rec.start:
        text += f" từ {rec.start:%d/%m/%Y}"
    if rec.end:
        text += f" đến hết {rec.end:%d/%m/%Y}"
    if rec.tz != DEFAULT_TZ:
        text += f" (giờ {rec.tz})"
    return text
