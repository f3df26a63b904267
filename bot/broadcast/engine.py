"""The durable delivery engine: due occurrences in, one message per target chat out.

Every send is bracketed by the database: a delivery is moved pending -> sending and
committed before the platform is called, then to sent | failed | uncertain. A delivery
found in `sending` at start belongs to a process that died mid-call; it may have been sent
and Telegram has no idempotency key, so it becomes `uncertain` and is reported, never resent.

Chats are sent to one after another through the FloodLimiter (never gathered): the global
30/s limit paces a broadcast, and a chat whose own limit (or a RetryAfter hold) is not yet
over is skipped for now rather than waited for, so one slow group never stalls the rest.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import func, select

from bot.broadcast import deliveries
from bot.broadcast.limits import FloodLimiter, Limits
from bot.broadcast.models import (
    FAILED,
    PENDING,
    SENT,
    UNCERTAIN,
    Occurrence,
    Schedule,
)
from bot.broadcast.posts import PostContent
from bot.broadcast.schedules import materialise
from bot.chat import Platform
from bot.clock import Clock, utcnow
from bot.errors import ChatGone, Rejected, RetryLater, Uncertain, Unreachable
from bot.store import Store

log = logging.getLogger(__name__)
system_clock = utcnow


@dataclass
class EngineOptions:
    """How the engine behaves; the composition root fills it from Settings."""

    grace: timedelta = timedelta(minutes=30)
    tick_seconds: float = 0.5
    max_attempts: int = 6  # for sends that surely did not leave (connection errors)
    backoff_seconds: float = 1.0  # doubled per attempt
    max_backoff_seconds: float = 60.0
    limits: Limits = field(default_factory=Limits)

    @classmethod
    def from_settings(cls, settings) -> EngineOptions:
        return cls(
            grace=timedelta(minutes=settings.broadcast_grace_minutes),
            tick_seconds=settings.broadcast_tick_seconds,
        )


class BroadcastEngine:
    """Materialises due occurrences and delivers them, durably and within flood limits."""

    def __init__(
        self,
        store: Store,
        platforms: Mapping[str, Platform],
        options: EngineOptions | None = None,
        *,
        clock: Clock = system_clock,
        limiter: FloodLimiter | None = None,
    ) -> None:
        self.store = store
        self.platforms = platforms  # looked up at send time: adapters may connect later
        self.options = options or EngineOptions()
        self.clock = clock
        self.limiter = limiter or FloodLimiter(self.options.limits)
        self._retry_at: dict[int, float] = {}  # delivery id -> monotonic time (backoff)
        self._content: dict[int, tuple[PostContent, bool, bool] | None] = {}
        self._next_ready = 0.0  # monotonic time a held-back delivery may go
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task | None = None

    # -- lifecycle -----------------------------------------------------------------

    def recover(self) -> int:
        """Mark deliveries left in `sending` by a dead process as uncertain; return how many."""
        count = deliveries.recover(self.store)
        if count:
            log.warning("%d deliveries were in flight at the last stop: marked uncertain", count)
        return count

    async def start(self) -> None:
        """Recover, then run the scheduler loop as a background task."""
        await self.store.run(self.recover)
        self._stopping = False
        self._task = asyncio.create_task(self._run(), name="broadcast-engine")

    async def stop(self, timeout: float = 10.0) -> None:
        """Stop after the send in flight (if any) has been recorded."""
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, timeout)
            except TimeoutError:
                log.warning("broadcast engine did not stop in %ss; cancelled", timeout)
            self._task = None

    def wake(self) -> None:
        """Look for work now (a post was sent now or approved) instead of at the next tick."""
        self._wake.set()

    async def _run(self) -> None:
        while not self._stopping:
            self._wake.clear()  # before the work, so a wake() during it is not lost
            try:
                await self.store.run(self.materialise)
                await self.deliver(budget=self.options.tick_seconds)
            except Exception:  # the loop must outlive any single bad row or bug
                log.exception("broadcast tick failed")
            if self._stopping:
                break
            pause = await self.store.run(self._pause)
            if pause > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), pause)

    def _pause(self) -> float:
        """Seconds to sleep: until the next due time, a waiting delivery, or a tick."""
        pause = min(self.options.tick_seconds, self._next_ready - time.monotonic())
        with self.store.session() as session:
            next_due = session.scalar(
                select(func.min(Schedule.next_due)).where(Schedule.status == "active")
            )
        if next_due is not None:
            pause = min(pause, (next_due - self.clock()).total_seconds())
        return max(pause, 0.0)

    async def tick(self) -> int:
        """Materialise and deliver everything that can go now (tests); returns sends tried."""
        await self.store.run(self.materialise)
        return await self.deliver(budget=None)

    # -- the work ----------------------------------------------------------------------

    def materialise(self) -> int:
        """Turn due times into occurrences and deliveries; returns occurrences made."""
        with self.store.session() as session:
            made = materialise(session, self.clock(), self.options.grace)
        return len(made)

    async def deliver(self, budget: float | None) -> int:
        """Send pending deliveries until none is ready or `budget` seconds have passed."""
        deadline = None if budget is None else time.monotonic() + budget
        self._next_ready = float("inf")
        tried = 0
        while not self._stopping:
            jobs = await self.store.run(deliveries.pending, self.store)
            if not jobs:
                break
            progressed = False
            for job in jobs:
                if self._stopping or (deadline is not None and time.monotonic() >= deadline):
                    await self._finish()
                    return tried
                if self._retry_at.get(job.id, 0.0) > time.monotonic():
                    continue
                if self.limiter.chat_wait(job.limit_key, job.is_group) > 0:
                    continue
                while (wait := self.limiter.global_wait()) > 0:
                    await asyncio.sleep(wait)
                await self._deliver_one(job)
                tried += 1
                progressed = True
            await self._finish()
            if not progressed:
                wait = self._soonest_wait(jobs)
                if deadline is not None and time.monotonic() + wait >= deadline:
                    self._next_ready = time.monotonic() + wait
                    break
                await asyncio.sleep(wait)
        self.limiter.forget_idle()
        return tried

    def _soonest_wait(self, jobs: list[deliveries.Job]) -> float:
        now = time.monotonic()
        waits = [
            max(
                self._retry_at.get(j.id, 0.0) - now,
                self.limiter.chat_wait(j.limit_key, j.is_group),
            )
            for j in jobs
        ]
        return max(min(waits), 0.005)

    async def _message_of(self, occurrence_id: int) -> tuple[PostContent, bool, bool] | None:
        if occurrence_id not in self._content:
            self._content[occurrence_id] = await self.store.run(self._load, occurrence_id)
        return self._content[occurrence_id]

    def _load(self, occurrence_id: int) -> tuple[PostContent, bool, bool] | None:
        with self.store.session() as session:
            occ = session.get(Occurrence, occurrence_id)
            return (PostContent.from_json(occ.content), occ.silent, occ.pin) if occ else None

    async def _deliver_one(self, job: deliveries.Job) -> None:
        run = self.store.run  # every database step off the event loop (bot.store)
        platform = self.platforms.get(job.platform)
        message = await self._message_of(job.occurrence_id)
        if platform is None or message is None:
            if await run(deliveries.claim, self.store, job.id):
                await run(
                    deliveries.record,
                    self.store,
                    job.id,
                    FAILED,
                    f"nền tảng «{job.platform}» chưa được kết nối",
                )
            return
        content, silent, pin = message
        if not await run(deliveries.claim, self.store, job.id):
            return
        self.limiter.take(job.limit_key, job.is_group)
        try:
            sent = await platform.send(job.chat_id, content.message(silent=silent))
        except RetryLater as exc:
            self.limiter.settle()
            self.limiter.hold(job.limit_key, exc.retry_after)
            # It surely did not go out, and waiting is not a failure: try again, uncounted.
            await run(
                deliveries.record, self.store, job.id, PENDING, str(exc), attempts=job.attempts
            )
        except Unreachable as exc:
            self.limiter.settle()
            await self._retry_or_fail(job, exc)
        except ChatGone as exc:
            self.limiter.settle()
            await run(
                deliveries.record, self.store, job.id, FAILED, f"nhóm không còn nhận tin: {exc}"
            )
            await run(deliveries.deactivate, self.store, job.chat_ref, str(exc))
        except Rejected as exc:
            self.limiter.settle()
            await run(deliveries.record, self.store, job.id, FAILED, f"bị từ chối: {exc}")
        except Uncertain as exc:
            self.limiter.settle()
            await run(
                deliveries.record, self.store, job.id, UNCERTAIN, f"không rõ đã tới chưa: {exc}"
            )
        except Exception as exc:  # an adapter bug: the request may have left, so never resend
            self.limiter.settle()
            log.exception("send to %s:%s failed unexpectedly", job.platform, job.chat_id)
            await run(
                deliveries.record, self.store, job.id, UNCERTAIN, f"lỗi không xác định: {exc!r}"
            )
        else:
            self.limiter.settle()
            self._retry_at.pop(job.id, None)
            await run(
                deliveries.record,
                self.store,
                job.id,
                SENT,
                message_id=sent.message_id,
                sent_at=self.clock(),
            )
            if pin:
                await self._pin(job, platform, sent.message_id)

    async def _retry_or_fail(self, job: deliveries.Job, exc: Exception) -> None:
        attempts = job.attempts + 1
        run = self.store.run
        if attempts >= self.options.max_attempts:
            self._retry_at.pop(job.id, None)
            reason = f"không kết nối được sau {attempts} lần: {exc}"
            await run(deliveries.record, self.store, job.id, FAILED, reason)
            return
        delay = min(
            self.options.backoff_seconds * 2 ** (attempts - 1), self.options.max_backoff_seconds
        )
        self._retry_at[job.id] = time.monotonic() + delay
        reason = f"lần {attempts} không kết nối được: {exc}"
        await run(deliveries.record, self.store, job.id, PENDING, reason)

    async def _pin(self, job: deliveries.Job, platform: Platform, message_id: str) -> None:
        while (wait := self.limiter.global_wait()) > 0:
            await asyncio.sleep(wait)
        try:
            await platform.pin(job.chat_id, message_id, silent=True)
        except Exception as exc:  # the post is out; a failed pin is only worth a note
            note = f"đã gửi nhưng không ghim được: {exc}"
            await self.store.run(deliveries.record, self.store, job.id, SENT, note)
        else:
            await self.store.run(deliveries.record, self.store, job.id, SENT, pinned=True)

    async def _finish(self) -> None:
        finished = await self.store.run(deliveries.finish_occurrences, self.store, self.clock())
        for occurrence_id in finished:
            self._content.pop(occurrence_id, None)
