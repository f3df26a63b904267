"""The calendar's content: every due time of a month or week, local to the bot's zone.

Past due times are the recorded occurrences (sent, skipped, missed …); future ones are
computed from each active or paused schedule's recurrence (the same arithmetic the delivery
engine uses), so the calendar shows what will happen, not a copy that could drift.
"""

from __future__ import annotations

import datetime as dt
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
    schedules: tuple[ScheduleRow, ...]
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


def build(
    store: Store,
    tz: str,
    start: dt.date,
    end: dt.date,
    now: dt.datetime,
    in_range: tuple[dt.date, dt.date] | None = None,
    per_day: int = 6,
) -> Calendar:
    """The calendar of local days [start, end)."""
    zone = ZoneInfo(tz)
    lo, hi = _instant(start, zone), _instant(end, zone)
    by_day: dict[dt.date, list[tuple[dt.datetime, Slot]]] = defaultdict(list)
    truncated = False
    with store.session() as session:
        active = session.scalars(
            select(Schedule).where(Schedule.status.in_((ACTIVE, PAUSED)))
        ).all()
        past = session.execute(
            select(Occurrence, Schedule)
            .join(Schedule, Schedule.id == Occurrence.schedule_id)
            .where(Occurrence.due_at >= lo, Occurrence.due_at < hi)
        ).all()
        wanted = {s.post_id for s in active} | {o.post_id for o, _ in past}
        posts = {p.id: p.text for p in session.scalars(select(Post).where(Post.id.in_(wanted)))}
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
        summaries = {pid: plain_summary(text, 40) for pid, text in posts.items()}
        recorded = set()
        for occ, sch in past:
            recorded.add((sch.id, occ.due_at))
            local = occ.due_at.astimezone(zone)
            slot = Slot(
                local.strftime("%H:%M"),
                sch.id,
                occ.post_id,
                summaries.get(occ.post_id, ""),
                _targets(sch, titles),
                OCCURRENCE_VI.get(occ.status, occ.status),
                occ.status,
                occ.id,
            )
            by_day[local.date()].append((occ.due_at, slot))
        rows = []
        for sch in active:
            targets = _targets(sch, titles)
            rec = schedules.recurrence_of(sch)
            paused = sch.status == PAUSED
            since = max(lo - TICK, now if paused else sch.cursor)
            if rec is None:
                times = [sch.next_due] if sch.next_due and lo <= sch.next_due < hi else []
            else:
                times = occurrences_between(rec, since, hi - TICK)
            if len(times) > PER_SCHEDULE:
                times, truncated = times[:PER_SCHEDULE], True
            for due in times:
                if (sch.id, due) in recorded:
                    continue
                local = due.astimezone(zone)
                state, css = ("tạm dừng", "paused") if paused else ("sắp gửi", "upcoming")
                slot = Slot(
                    local.strftime("%H:%M"),
                    sch.id,
                    sch.post_id,
                    summaries.get(sch.post_id, ""),
                    targets,
                    state,
                    css,
                )
                by_day[local.date()].append((due, slot))
            rows.append(
                ScheduleRow(
                    sch.id,
                    sch.post_id,
                    summaries.get(sch.post_id, ""),
                    schedules.describe_schedule(sch),
                    sch.status,
                    schedules.STATUS_VI[sch.status],
                    sch.next_due.astimezone(zone).strftime("%H:%M %d/%m/%Y")
                    if sch.next_due
                    else "—",
                )
            )
    today = now.astimezone(zone).date()
    first, after = in_range or (start, end)
    days = []
    day = start
    while day < end:
        slots = [slot for _, slot in sorted(by_day.get(day, ()), key=lambda p: p[0])]
        days.append(
            Day(
                day,
                first <= day < after,
                day == today,
                tuple(slots[:per_day]),
                len(slots[per_day:]),
            )
        )
        day += dt.timedelta(days=1)
    rows.sort(key=lambda r: (r.status != ACTIVE, r.id))
    return Calendar(tuple(days), tuple(rows), truncated)
