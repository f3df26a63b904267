"""The calendar's content: every due time of a month or week, local to the bot's zone.

Past due times are the recorded occurrences (sent, skipped, missed …); future ones are
computed from each active or paused schedule's recurrence (the same arithmetic the delivery
engine uses), so the calendar shows what will happen, not a copy that could drift.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.broadcast import schedules
from bot.broadcast.models import ACTIVE, PAUSED, Occurrence, Post, Schedule
from bot.broadcast.posts import plain_summary
from bot.broadcast.recurrence import occurrences_between
from bot.broadcast.views import OCCURRENCE_VI
from bot.store import Chat, Store

PER_SCHEDULE = 62  # due times one schedule shows in a view (a cron every minute stays readable)
TICK = dt.timedelta(microseconds=1)
WEEKDAYS_VI = ("T2", "T3", "T4", "T5", "T6", "T7", "CN")


# what the calendar reads of a schedule (rows of these columns read like Schedule objects:
# schedules.describe_schedule and targets_of take either)
SCHEDULE_COLUMNS = (
    Schedule.id,
    Schedule.post_id,
    Schedule.recurrence,
    Schedule.target_kind,
    Schedule.target_value,
    Schedule.silent,
    Schedule.pin,
    Schedule.status,
    Schedule.cursor,
    Schedule.next_due,
)


@dataclass(frozen=True)
class Slot:
    """One due time on the calendar."""

    time: str  # local HH:MM
    schedule_id: int
    post_id: int
    summary: str
    targets: str
    state: str  # Vietnamese
    css: str  # upcoming | paused | <occurrence status>
    occurrence_id: int | None = None  # a past due time: its delivery report


@dataclass(frozen=True)
class Day:
    date: dt.date
    in_range: bool  # a month view shows the edges of the weeks around the month
    today: bool
    slots: tuple[Slot, ...]
    more: int  # due times not shown in this cell


@dataclass(frozen=True)
class ScheduleRow:
    id: int
    post_id: int
    summary: str
    rhythm: str  # "hằng ngày lúc 07:30 → tất cả nhóm …"
    status: str  # active | paused
    status_vi: str
    next_due: str


@dataclass(frozen=True)
class Calendar:
    days: tuple[Day, ...]
    schedules: tuple[ScheduleRow, ...]  # the part listed
    running: int  # active and paused schedules in all
    truncated: bool  # some schedule had more due times than PER_SCHEDULE in this view


def month_range(day: dt.date) -> tuple[dt.date, dt.date, dt.date, dt.date]:
    """(first, last+1) of the month, and the Monday-to-Sunday weeks around it."""
    first = day.replace(day=1)
    after = (first + dt.timedelta(days=32)).replace(day=1)
    start = first - dt.timedelta(days=first.weekday())
    end = after + dt.timedelta(days=(7 - after.weekday()) % 7)
    return first, after, start, end


def week_range(day: dt.date) -> tuple[dt.date, dt.date]:
    start = day - dt.timedelta(days=day.weekday())
    return start, start + dt.timedelta(days=7)


def _instant(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), zone).astimezone(dt.UTC)


def _targets(schedule: Schedule, titles: dict[int, str]) -> str:
    targets = schedules.targets_of(schedule)
    if targets.kind != "chats":
        return targets.describe()
    names = [titles.get(int(v), f"nhóm {v}") for v in targets.values[:3]]
    extra = f" và {len(targets.values) - 3} nhóm khác" if len(targets.values) > 3 else ""
    return ", ".join(names) + extra


@functools.lru_cache(maxsize=1024)
def _due_times(text: str, lo: dt.datetime, hi: dt.datetime) -> tuple[dt.datetime, ...]:
    """A rhythm's due times in [lo, hi). Schedules sharing a rhythm («7:30 hằng ngày» for
    many posts) share the computation, within a page and across pages of the same window."""
    return tuple(occurrences_between(schedules.parse_recurrence(text), lo - TICK, hi - TICK))


def build(
    store: Store,
    tz: str,
    start: dt.date,
    end: dt.date,
    now: dt.datetime,
    in_range: tuple[dt.date, dt.date] | None = None,
    per_day: int = 6,
    listed: slice = slice(None),
) -> Calendar:
    """The calendar of local days [start, end), `per_day` due times shown in each, and the
    `listed` part of the active and paused schedules (active first)."""
    zone = ZoneInfo(tz)
    lo, hi = _instant(start, zone), _instant(end, zone)
    # many schedules share due times (every «7:30 hằng ngày»): convert each instant once
    local = functools.cache(lambda at: at.astimezone(zone))
    # per day: (due, order, what) — a Slot is made only for the due times a cell shows
    by_day: dict[dt.date, list[tuple[dt.datetime, int, tuple]]] = defaultdict(list)
    truncated = False
    with store.session() as session:
        # plain rows, not ORM objects: a big installation has hundreds of schedules
        active = session.execute(
            select(*SCHEDULE_COLUMNS).where(Schedule.status.in_((ACTIVE, PAUSED)))
        ).all()
        happened = session.execute(
            select(
                Occurrence.id,
                Occurrence.post_id,
                Occurrence.status,
                Occurrence.due_at,
                Occurrence.schedule_id,
            ).where(Occurrence.due_at >= lo, Occurrence.due_at < hi)
        ).all()
        by_id = {sch.id: sch for sch in active}
        ended = {occ.schedule_id for occ in happened} - set(by_id)
        if ended:  # finished or cancelled since
            query = select(*SCHEDULE_COLUMNS).where(Schedule.id.in_(ended))
            by_id.update((sch.id, sch) for sch in session.execute(query))
        past = [(occ, by_id[occ.schedule_id]) for occ in happened]
        wanted = {s.post_id for s in active} | {o.post_id for o, _ in past}
        posts = dict(session.execute(select(Post.id, Post.text).where(Post.id.in_(wanted))).all())
        chat_refs = {
            int(v)
            for s in [*active, *(sch for _, sch in past)]
            if s.target_kind == "chats"
            for v in s.target_value.split(",")[:3]
            if v
        }
        titles = {
            c.id: c.title or c.chat_id
            for c in session.scalars(select(Chat).where(Chat.id.in_(chat_refs)))
        }
        recorded = set()
        for occ, sch in past:
            recorded.add((sch.id, occ.due_at))
            by_day[local(occ.due_at).date()].append((occ.due_at, occ.id, (sch, occ)))
        listing = sorted(active, key=lambda r: (r.status != ACTIVE, r.id))
        rows = [_row(sch, posts, local) for sch in listing[listed]]
        for sch in active:
            since = now if sch.status == PAUSED else sch.cursor  # before: recorded or skipped
            if sch.recurrence == schedules.NOW:
                times = [sch.next_due] if sch.next_due and lo <= sch.next_due < hi else []
            else:
                times = [t for t in _due_times(sch.recurrence, lo, hi) if t > since]
            if len(times) > PER_SCHEDULE:
                times, truncated = times[:PER_SCHEDULE], True
            for due in times:
                if (sch.id, due) not in recorded:
                    by_day[local(due).date()].append((due, sch.id, (sch, None)))

    def slot(due: dt.datetime, what: tuple) -> Slot:
        sch, occ = what
        post_id = occ.post_id if occ is not None else sch.post_id
        if occ is not None:
            state, css = OCCURRENCE_VI.get(occ.status, occ.status), occ.status
        else:
            state, css = ("tạm dừng", "paused") if sch.status == PAUSED else ("sắp gửi", "upcoming")
        return Slot(
            local(due).strftime("%H:%M"),
            sch.id,
            post_id,
            _summary(posts.get(post_id, "")),
            _targets(sch, titles),
            state,
            css,
            occ.id if occ is not None else None,
        )

    today = local(now).date()
    first, after = in_range or (start, end)
    days = []
    day = start
    while day < end:
        found = sorted(by_day.get(day, ()), key=lambda entry: entry[:2])
        shown = tuple(slot(due, what) for due, _, what in found[:per_day])
        days.append(Day(day, first <= day < after, day == today, shown, len(found) - len(shown)))
        day += dt.timedelta(days=1)
    return Calendar(tuple(days), tuple(rows), len(active), truncated)


def _row(sch, posts: dict[int, str], local) -> ScheduleRow:
    return ScheduleRow(
        sch.id,
        sch.post_id,
        _summary(posts.get(sch.post_id, "")),
        schedules.describe_schedule(sch),
        sch.status,
        schedules.STATUS_VI[sch.status],
        local(sch.next_due).strftime("%H:%M %d/%m/%Y") if sch.next_due else "—",
    )


@functools.lru_cache(maxsize=4096)
def _summary(text: str) -> str:
    """A post's first words (parsing its HTML is the slow part; a post's text rarely changes)."""
    return plain_summary(text, 40)
