"""The delivery rows' state transitions, each its own committed transaction.

pending -> sending (claim, by an owner with a lease; committed before the platform is called)
sending -> sent | failed | uncertain | pending (record: after the call, by the owner only)
sending -> uncertain (recover: rows whose owner's lease ran out, the owner taken for dead)

The owner renews the lease of its rows in flight (`renew`); a replica that dies stops
renewing, and once the lease is over another engine's `recover` takes the row: it may have
been sent (Telegram has no idempotency key), so it is reported `uncertain`, never resent.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, func, or_, select, update

from bot.broadcast.approval import deliverable
from bot.broadcast.models import (
    CANCELLED,
    DELIVERING,
    DONE,
    PENDING,
    SENDING,
    UNCERTAIN,
    Delivery,
    Occurrence,
    Post,
)
from bot.store import Chat, Store

log = logging.getLogger(__name__)
BATCH = 200  # pending deliveries read at a time


@dataclass(frozen=True)
class Job:
    """A pending delivery with what sending it needs."""

    id: int
    occurrence_id: int
    chat_ref: int
    platform: str
    chat_id: str
    is_group: bool
    attempts: int

    @property
    def limit_key(self) -> str:
        """The chat as the flood limiter knows it: chat ids repeat across platforms."""
        return f"{self.platform}:{self.chat_id}"


def recover(store: Store, now: datetime | None = None, spare: str = "") -> int:
    """sending -> uncertain for rows a dead engine left mid-call; returns how many.

    With `now`, only rows whose lease is over by then and that are not `spare`'s (the
    caller's own, alive by definition); a live replica's rows are left to it. Without,
    every `sending` row (one process, at its start: none of them can be alive).
    """
    stale = Delivery.status == SENDING
    if now is not None:
        expired = or_(Delivery.lease_until.is_(None), Delivery.lease_until < now)
        stale = stale & expired & (Delivery.owner != spare)
    with store.session() as session:
        result = session.execute(
            update(Delivery)
            .where(stale)
            .values(
                status=UNCERTAIN,
                reason="bot dừng đột ngột khi đang gửi: có thể đã tới",
                lease_until=None,
            )
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


def in_flight_elsewhere(store: Store, owner: str) -> dict[str, int]:
    """Platform -> how many `sending` rows other engines hold (alive, or dead but not yet
    past their lease): requests that may still reach the platform."""
    with store.session() as session:
        rows = session.execute(
            select(Delivery.platform, func.count(Delivery.id))
            .where(Delivery.status == SENDING, Delivery.owner != owner)
            .group_by(Delivery.platform)
        ).all()
    return {platform: int(count) for platform, count in rows}


def renew(store: Store, owner: str, until: datetime) -> int:
    """Extend the lease of the owner's rows in flight; returns how many it still holds."""
    with store.session() as session:
        result = session.execute(
            update(Delivery)
            .where(Delivery.owner == owner, Delivery.status == SENDING)
            .values(lease_until=until)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


def pending(store: Store, limit: int = BATCH) -> list[Job]:
    """The oldest pending deliveries; those whose post lost its approval are cancelled."""
    with store.session() as session:
        rows = session.execute(
            select(Delivery, Occurrence.post_version, Post)
            .join(Occurrence, Delivery.occurrence_id == Occurrence.id)
            .join(Post, Occurrence.post_id == Post.id)
            .where(Delivery.status == PENDING, Occurrence.status == DELIVERING)
            .order_by(Occurrence.due_at, Occurrence.id, Delivery.id)
            .limit(limit)
        ).all()
        jobs = []
        for delivery, version, post in rows:
            if not deliverable(post, version):  # approval withdrawn since it fell due
                delivery.status, delivery.reason = CANCELLED, "bài không còn được duyệt"
                continue
            jobs.append(
                Job(
                    delivery.id,
                    delivery.occurrence_id,
                    delivery.chat_ref,
                    delivery.platform,
                    delivery.chat_id,
                    delivery.is_group,
                    delivery.attempts,
                )
            )
    return jobs


def claim(store: Store, delivery_id: int, owner: str = "", until: datetime | None = None) -> bool:
    """pending -> sending, committed, held by `owner` until `until`; False when it changed
    meanwhile (cancelled, or claimed by another engine on the same database: a replica).

    The UPDATE's `status == pending` is the compare-and-set that makes the claim exclusive
    on every database. On PostgreSQL a `SELECT … FOR UPDATE SKIP LOCKED` comes first, so an
    engine gives up at once on a row another replica is claiming instead of queueing on its
    lock (SQLite has no row locks and renders no FOR UPDATE: there the CAS alone decides).
    """
    with store.session() as session:
        mine = session.scalar(
            select(Delivery.id)
            .where(Delivery.id == delivery_id, Delivery.status == PENDING)
            .with_for_update(skip_locked=True)
        )
        if mine is None:
            return False
        result = session.execute(
            update(Delivery)
            .where(Delivery.id == delivery_id, Delivery.status == PENDING)
            .values(status=SENDING, attempts=Delivery.attempts + 1, owner=owner, lease_until=until)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]


def record(
    store: Store,
    delivery_id: int,
    status: str,
    reason: str = "",
    owner: str | None = None,
    **values,
) -> bool:
    """The outcome of a send (or of a pin after it); False when it was not recorded.

    With `owner`, only while the row is still that owner's `sending` claim: an engine that
    lost its lease (stalled past it) finds the row already reported `uncertain` by another
    and leaves it so, rather than overwrite the report another replica made.
    """
    mine = Delivery.id == delivery_id
    if owner is not None:
        mine = mine & (Delivery.owner == owner) & (Delivery.status == SENDING)
    with store.session() as session:
        result = session.execute(
            update(Delivery)
            .where(mine)
            .values(status=status, reason=reason[:500], lease_until=None, **values)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]


def deactivate(store: Store, chat_ref: int, reason: str) -> None:
    """The bot was removed or blocked: broadcasts skip the chat until it is added again."""
    with store.session() as session:
        chat = session.get(Chat, chat_ref)
        if chat is not None:
            chat.active = False
            chat.inactive_reason = reason[:250]
            log.info("chat %s:%s marked inactive: %s", chat.platform, chat.chat_id, reason)


def finish_occurrences(store: Store, now: datetime) -> list[int]:
    """Occurrences with nothing left pending or in flight become done; returns their ids."""
    unfinished = exists().where(
        Delivery.occurrence_id == Occurrence.id, Delivery.status.in_((PENDING, SENDING))
    )
    with store.session() as session:
        done = list(
            session.scalars(
                select(Occurrence.id).where(Occurrence.status == DELIVERING, ~unfinished)
            )
        )
        if done:
            session.execute(
                update(Occurrence)
                .where(Occurrence.id.in_(done))
                .values(status=DONE, finished_at=now)
            )
    return done
