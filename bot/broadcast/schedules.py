"""Schedules: when a post goes out (once, recurring, or now) and to which chats (`targets`).

`materialise` turns every due time into an Occurrence with one pending Delivery per target
chat, in one transaction, so a due time is either wholly recorded or not at all. A due time
found more than the grace period late (the bot was down) is recorded as missed, never dropped.
"""

from __future__ import annotations

import functools
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.broadcast import BroadcastError
from bot.broadcast.approval import Actor, content_of, deliverable
from bot.broadcast.models import (
    ACTIVE,
    CANCELLED,
    DELIVERING,
    DONE,
    FINISHED,
    MISSED,
    PAUSED,
    PENDING,
    SKIPPED,
    Delivery,
    Occurrence,
    Post,
    Schedule,
)
from bot.broadcast.recurrence import Recurrence, describe, next_occurrence, occurrences_between
from bot.broadcast.targets import Targets, target_chats, targets_of

NOW = "now"  # Schedule.recurrence of a "send now"
STATUS_VI = {ACTIVE: "đang chạy", PAUSED: "tạm dừng", CANCELLED: "đã hủy", FINISHED: "đã xong"}


@functools.lru_cache(maxsize=4096)
def parse_recurrence(text: str) -> Recurrence:
    """A stored recurrence, parsed once per process (checking a cron expression is slow, and
    the calendar and the engine read the same few rhythms again and again)."""
    return Recurrence.from_text(text)


def recurrence_of(schedule: Schedule) -> Recurrence | None:
    return None if schedule.recurrence == NOW else parse_recurrence(schedule.recurrence)


def describe_schedule(schedule: Schedule) -> str:
    rec = recurrence_of(schedule)
    when = "gửi ngay" if rec is None else describe(rec)
    options = [o for o, on in (("không chuông", schedule.silent), ("ghim", schedule.pin)) if on]
    extra = f" ({', '.join(options)})" if options else ""
    return f"{when} → {targets_of(schedule).describe()}{extra}"


def create(
    session: Session,
    post: Post,
    recurrence: Recurrence | None,
    targets: Targets,
    actor: Actor,
    now: datetime,
    *,
    silent: bool = False,
    pin: bool = False,
) -> Schedule:
    """A schedule for `post`; recurrence None means now."""
    if recurrence is None:
        # Strictly before now, so the engine's (cursor, now] window holds this one due time.
        cursor, next_due = now - timedelta(microseconds=1), now
    else:
        cursor, next_due = now, next_occurrence(recurrence, now)
        if next_due is None:
            raise BroadcastError("Lịch này không còn lần đăng nào trong tương lai.")
    schedule = Schedule(
        post_id=post.id,
        recurrence=NOW if recurrence is None else recurrence.to_text(),
        target_kind=targets.kind,
        target_value=",".join(targets.values),
        silent=silent,
        pin=pin,
        cursor=cursor,
        next_due=next_due,
        created_by=actor.user_id,
        created_at=now,
    )
    session.add(schedule)
    session.flush()
    return schedule


def _due_times(schedule: Schedule, now: datetime) -> list[datetime]:
    rec = recurrence_of(schedule)
    if rec is None:
        due = schedule.next_due
        return [due] if due is not None and schedule.cursor < due else []
    return occurrences_between(rec, schedule.cursor, now)


def materialise(session: Session, now: datetime, grace: timedelta) -> list[Occurrence]:
    """Record every due time up to `now` as an Occurrence (with its deliveries)."""
    made = []
    due = select(Schedule).where(Schedule.status == ACTIVE, Schedule.next_due <= now)
    # Another replica materialising a schedule holds its row: skip it, it is being done
    # (PostgreSQL; SQLite has one writer at a time and renders no FOR UPDATE).
    due = due.order_by(Schedule.next_due).with_for_update(skip_locked=True)
    for schedule in session.scalars(due).all():
        for due_at in _due_times(schedule, now):
            made.append(_open_occurrence(session, schedule, due_at, now, grace))
        rec = recurrence_of(schedule)
        schedule.cursor = now
        schedule.next_due = next_occurrence(rec, now) if rec else None
        if schedule.next_due is None:
            schedule.status = FINISHED
    session.flush()
    return made


def _open_occurrence(
    session: Session, schedule: Schedule, due_at: datetime, now: datetime, grace: timedelta
) -> Occurrence:
    existing = session.scalar(
        select(Occurrence).where(Occurrence.schedule_id == schedule.id, Occurrence.due_at == due_at)
    )
    if existing is not None:  # materialised before a crash that lost the cursor update
        return existing
    post = session.get(Post, schedule.post_id)
    assert post is not None
    occ = Occurrence(
        schedule_id=schedule.id,
        post_id=post.id,
        post_version=post.version,
        due_at=due_at,
        silent=schedule.silent,
        pin=schedule.pin,
        created_at=now,
    )
    session.add(occ)
    if now - due_at > grace:
        occ.status, occ.finished_at = MISSED, now
        occ.note = f"lỡ giờ: bot không chạy lúc đến hạn (trễ {_minutes(now - due_at)})"
        return occ
    if not deliverable(post, post.version):
        occ.status, occ.finished_at = SKIPPED, now
        occ.note = f"bài chưa được duyệt lúc đến hạn (phiên bản {post.version})"
        return occ
    occ.content = content_of(post).to_json()
    session.flush()
    chats = target_chats(session, targets_of(schedule))
    for chat in chats:
        session.add(
            Delivery(
                occurrence_id=occ.id,
                chat_ref=chat.id,
                platform=chat.platform,
                chat_id=chat.chat_id,
                is_group=chat.chat_type != "private",
                status=PENDING,
            )
        )
    occ.status = DELIVERING if chats else DONE
    if not chats:
        occ.note, occ.finished_at = "không có nhóm nào để gửi", now
    return occ


def _minutes(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    return f"{minutes // 60} giờ {minutes % 60} phút" if minutes >= 60 else f"{minutes} phút"


def change(session: Session, schedule_id: int, action: str, now: datetime) -> Schedule:
    """Pause, resume or cancel a schedule; cancelling also stops its unstarted deliveries."""
    schedule = session.get(Schedule, schedule_id)
    if schedule is None:
        raise BroadcastError(f"Không có lịch số {schedule_id}.")
    if schedule.status in (CANCELLED, FINISHED) and action != "cancel":
        raise BroadcastError(f"Lịch {schedule_id} {STATUS_VI[schedule.status]}.")
    if action == "pause":
        schedule.status = PAUSED
    elif action == "resume":
        # Due times that fell in the pause are not sent (pausing meant "not then"), but
        # they are recorded, so the report shows every due time and what became of it.
        rec = recurrence_of(schedule)
        if rec is not None and schedule.cursor is not None:
            _record_paused(session, schedule, occurrences_between(rec, schedule.cursor, now), now)
        schedule.cursor = now
        schedule.next_due = next_occurrence(rec, now) if rec else None
        schedule.status = ACTIVE if schedule.next_due else FINISHED
    elif action == "cancel":
        schedule.status, schedule.next_due = CANCELLED, None
        running = select(Occurrence.id).where(
            Occurrence.schedule_id == schedule.id, Occurrence.status == DELIVERING
        )
        for delivery in session.scalars(
            select(Delivery).where(Delivery.occurrence_id.in_(running), Delivery.status == PENDING)
        ):
            delivery.status, delivery.reason = CANCELLED, "lịch đã bị hủy"
    else:
        raise ValueError(action)
    return schedule


def reschedule(
    session: Session, schedule_id: int, recurrence: Recurrence, now: datetime
) -> Schedule:
    """Give a schedule another time or rhythm from now on; what was sent stays recorded.

    A paused schedule stays paused (its next time is shown, not sent); a finished or
    cancelled one is not revived: schedule the post again instead."""
    schedule = session.get(Schedule, schedule_id)
    if schedule is None:
        raise BroadcastError(f"Không có lịch số {schedule_id}.")
    if schedule.status in (CANCELLED, FINISHED):
        raise BroadcastError(
            f"Lịch {schedule_id} {STATUS_VI[schedule.status]}: hãy hẹn lịch mới cho bài."
        )
    next_due = next_occurrence(recurrence, now)
    if next_due is None:
        raise BroadcastError("Lịch này không còn lần đăng nào trong tương lai.")
    schedule.recurrence = recurrence.to_text()
    schedule.cursor, schedule.next_due = now, next_due
    return schedule


PAUSED_RECORDS = 100  # a long-paused frequent cron schedule: keep the report readable


def _record_paused(
    session: Session, schedule: Schedule, due_times: list[datetime], now: datetime
) -> None:
    post = session.get(Post, schedule.post_id)
    version = post.version if post is not None else 0
    for due_at in due_times[-PAUSED_RECORDS:]:
        exists = session.scalar(
            select(Occurrence.id).where(
                Occurrence.schedule_id == schedule.id, Occurrence.due_at == due_at
            )
        )
        if exists is None:
            session.add(
                Occurrence(
                    schedule_id=schedule.id,
                    post_id=schedule.post_id,
                    post_version=version,
                    due_at=due_at,
                    status=SKIPPED,
                    note="lịch đang tạm dừng lúc đến hạn",
                    silent=schedule.silent,
                    pin=schedule.pin,
                    created_at=now,
                    finished_at=now,
                )
            )
    session.flush()


def upcoming(session: Session, limit: int = 20) -> list[Schedule]:
    """Active and paused schedules, the soonest first."""
    query = select(Schedule).where(Schedule.status.in_((ACTIVE, PAUSED)))
    return list(session.scalars(query.order_by(Schedule.next_due, Schedule.id).limit(limit)))
