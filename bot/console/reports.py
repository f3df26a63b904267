"""Delivery reports as the console shows them: per occurrence, per group, and as CSV.

The same records /baocao reads (bot.broadcast.views.report): an occurrence is one due time
of a schedule; each of its deliveries is one group's outcome — sent, failed (with the
reason), uncertain (a timeout after the request left: never resent), pending, cancelled.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.broadcast.models import (
    CANCELLED,
    FAILED,
    PENDING,
    SENDING,
    SENT,
    UNCERTAIN,
    Delivery,
    Occurrence,
    Post,
)
from bot.broadcast.posts import plain_summary
from bot.broadcast.views import DELIVERY_VI, OCCURRENCE_VI
from bot.store import Chat, Store

# what a report counts, in this order: (status, Vietnamese, css class)
KINDS = (
    (SENT, "đã gửi", "sent"),
    (FAILED, "lỗi", "failed"),
    (UNCERTAIN, "không rõ", "uncertain"),
    (PENDING, "chờ gửi", "pending"),
    (CANCELLED, "đã hủy", "cancelled"),
)
PAGE_SIZE = 20


@dataclass(frozen=True)
class OccurrenceRow:
    id: int
    schedule_id: int
    post_id: int
    post_version: int
    summary: str
    due: str  # local
    status: str  # Vietnamese
    note: str
    counts: dict[str, int] = field(default_factory=dict)  # status -> groups (sending as pending)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class GroupRow:
    title: str
    chat_id: str
    platform: str
    status: str
    status_vi: str
    reason: str
    sent_at: str
    message_id: str


def _local(at, zone: ZoneInfo) -> str:
    return at.astimezone(zone).strftime("%H:%M %d/%m/%Y") if at else ""


def _counts(session, ids: list[int]) -> dict[int, Counter]:
    found: dict[int, Counter] = {i: Counter() for i in ids}
    rows = session.execute(
        select(Delivery.occurrence_id, Delivery.status, func.count())
        .where(Delivery.occurrence_id.in_(ids))
        .group_by(Delivery.occurrence_id, Delivery.status)
    ).all()
    for occ_id, status, n in rows:
        found[occ_id][PENDING if status == SENDING else status] += n
    return found


def _row(occ: Occurrence, text: str, counts: Counter, zone: ZoneInfo) -> OccurrenceRow:
    return OccurrenceRow(
        occ.id,
        occ.schedule_id,
        occ.post_id,
        occ.post_version,
        plain_summary(text, 50),
        _local(occ.due_at, zone),
        OCCURRENCE_VI.get(occ.status, occ.status),
        occ.note,
        {status: counts[status] for status, _, _ in KINDS},
    )


def recent(store: Store, tz: str, page: int = 0) -> tuple[list[OccurrenceRow], int]:
    """A page of occurrences, the latest first, with their counts; and how many there are."""
    zone = ZoneInfo(tz)
    with store.session() as session:
        total = session.scalar(select(func.count(Occurrence.id))) or 0
        rows = session.execute(
            select(Occurrence, Post.text)
            .join(Post, Post.id == Occurrence.post_id)
            .order_by(Occurrence.due_at.desc(), Occurrence.id.desc())
            .offset(page * PAGE_SIZE)
            .limit(PAGE_SIZE)
        ).all()
        counts = _counts(session, [occ.id for occ, _ in rows])
        return [_row(occ, text, counts[occ.id], zone) for occ, text in rows], total


def one(store: Store, tz: str, occurrence_id: int) -> tuple[OccurrenceRow, list[GroupRow]] | None:
    """One occurrence and every group's outcome: failures and uncertain ones first."""
    zone = ZoneInfo(tz)
    with store.session() as session:
        found = session.execute(
            select(Occurrence, Post.text)
            .join(Post, Post.id == Occurrence.post_id)
            .where(Occurrence.id == occurrence_id)
        ).first()
        if found is None:
            return None
        occ, text = found
        deliveries = session.execute(
            select(Delivery, Chat.title)
            .join(Chat, Chat.id == Delivery.chat_ref)
            .where(Delivery.occurrence_id == occ.id)
            .order_by(Delivery.id)
        ).all()
        order = {FAILED: 0, UNCERTAIN: 1, PENDING: 2, SENDING: 2, CANCELLED: 3, SENT: 4}
        groups = [
            GroupRow(
                title or d.chat_id,
                d.chat_id,
                d.platform,
                d.status,
                DELIVERY_VI.get(d.status, d.status),
                d.reason if d.status != SENT else "",
                _local(d.sent_at, zone),
                d.message_id,
            )
            for d, title in sorted(deliveries, key=lambda r: order.get(r[0].status, 5))
        ]
        counts = Counter(PENDING if g.status == SENDING else g.status for g in groups)
        return _row(occ, text, counts, zone), groups


CSV_HEADER = [
    "lan_gui",
    "lich",
    "bai",
    "phien_ban",
    "den_han",
    "nhom",
    "ma_nhom",
    "nen_tang",
    "trang_thai",
    "ly_do",
    "gui_luc",
    "ma_tin_nhan",
]


def as_csv(occurrence: OccurrenceRow, groups: list[GroupRow]) -> str:
    """The report as CSV, with a BOM so Excel opens the Vietnamese right."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for g in groups:
        writer.writerow(
            [
                occurrence.id,
                occurrence.schedule_id,
                occurrence.post_id,
                occurrence.post_version,
                occurrence.due,
                _cell(g.title),
                g.chat_id,
                g.platform,
                g.status_vi,
                _cell(g.reason),
                g.sent_at,
                g.message_id,
            ]
        )
    return out.getvalue()


def _cell(text: str) -> str:
    """A group title is written by its members: a leading = + - @ would be a formula in Excel."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
