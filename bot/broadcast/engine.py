"""The durable delivery engine: due occurrences in, one message per target chat out.

Every send is bracketed by the database: a delivery is moved pending -> sending and
committed before the platform is called, then to sent | failed | uncertain. The claim
names this engine (`owner`) and holds for `lease_seconds`, renewed while the send is in
flight. A delivery left in `sending` by an engine that died mid-call may have been sent
and Telegram has no idempotency key, so it becomes `uncertain` and is reported, never
resent: at start when the engine is alone on its database (SQLite), otherwise once its
lease has run out (several replicas on PostgreSQL: a live one's rows are not touched).

With several replicas only the holder of the sending lease (bot/broadcast/lease.py) sends,
so the flood limits below hold across replicas; every replica materialises due times,
each due time once (unique per schedule), so a schedule fires once however many run.

Several sends are in flight at once (`max_in_flight`, each its own task with its own
claim and record), because one at a time pays every round trip in full: at 150 ms a
sequential engine tops out near 6.7 messages/s, against Telegram's 30. The FloodLimiter
counts sends in flight, so the 30/s overall and 20/min per group hold however many there
are; a chat whose own limit (or a RetryAfter hold) is not yet over is skipped for now
rather than waited for, so one slow group never stalls the rest.
One delivery's send and the recording of its outcome live in bot/broadcast/sending.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from bot.broadcast import deliveries
from bot.broadcast.lease import HANDOVER_QUIET, SendingLease, SoleSender
from bot.broadcast.limits import FloodLimiter, Grant, Limits
from bot.broadcast.models import Schedule
from bot.broadcast.schedules import materialise
from bot.broadcast.sending import Sender
from bot.chat import Platform
from bot.clock import Clock, utcnow
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
    max_in_flight: int = 16  # fills 30/s up to ~0.5 s a send (round trip and commits)
    limits: Limits = field(default_factory=Limits)
    # how long a claim holds without renewal (renewed every third of it while in flight):
    # after a replica dies its in-flight rows wait this long before another reports them
    lease_seconds: float = 10.0

    @classmethod
    def from_settings(cls, settings) -> EngineOptions:
        return cls(
            grace=timedelta(minutes=settings.broadcast_grace_minutes),
            tick_seconds=settings.broadcast_tick_seconds,
            lease_seconds=settings.broadcast_lease_seconds,
        )


def engine_name() -> str:
    """This engine's owner name on the rows it claims: the host, the process, a nonce."""
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{secrets.token_hex(4)}"


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
        lease: SendingLease | None = None,
        owner: str = "",
    ) -> None:
        self.store = store
        self.platforms = platforms  # looked up at send time: adapters may connect later
        self.options = options or EngineOptions()
        self.lease = lease or SoleSender()
        self.owner = owner or engine_name()
        limiter = limiter or FloodLimiter(self.options.limits)
        self.sender = Sender(store, platforms, limiter, clock, self.owner, self.options)
        self._sending = False  # the sending lease was ours at the last look
        self._inherited: list[Grant] = []  # the last lease holder's sends left in flight
        self._next_ready = 0.0  # monotonic time a held-back delivery may go
        self._flying: set[asyncio.Task] = set()  # sends in flight
        self._busy: set[int] = set()  # their delivery ids
        self._wake = asyncio.Event()
        self._stopped = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task | None = None
        self._keeper: asyncio.Task | None = None

    # The loop and the sends share one clock and one flood limiter: the sender holds them,
    # so swapping either here (tests stand time still, count holds) swaps it for both.
    @property
    def clock(self) -> Clock:
        return self.sender.clock

    @clock.setter
    def clock(self, clock: Clock) -> None:
        self.sender.clock = clock

    @property
    def limiter(self) -> FloodLimiter:
        return self.sender.limiter

    @limiter.setter
    def limiter(self, limiter: FloodLimiter) -> None:
        self.sender.limiter = limiter

    # -- lifecycle -----------------------------------------------------------------

    def recover(self) -> int:
        """Mark deliveries a dead engine left in `sending` as uncertain; return how many.

        Alone on the database, every such row (this engine is starting: none is alive);
        beside other replicas, those whose lease has run out."""
        now = self.clock() if self.lease.shared else None
        count = deliveries.recover(self.store, now, spare=self.owner)
        if count:
            log.warning("%d deliveries were left in flight by a dead engine: uncertain", count)
        return count

    async def start(self) -> None:
        """Recover, then run the scheduler loop and the lease keeper as background tasks."""
        await self.store.run(self.recover)
        self._stopping = False
        self._stopped.clear()
        self._task = asyncio.create_task(self._run(), name="broadcast-engine")
        self._keeper = asyncio.create_task(self._keep_leases(), name="broadcast-leases")

    async def _keep_leases(self) -> None:
        """Renew the claims in flight; beside replicas, take over the claims of dead ones."""
        every = self.options.lease_seconds / 3
        while not self._stopping:
            try:
                if self._busy:
                    await self.store.run(
                        deliveries.renew, self.store, self.owner, self.sender.lease_until()
                    )
                if self.lease.shared:
                    await self.store.run(self.recover)
            except Exception:  # a database blip: the next round tries again
                log.exception("renewing the delivery leases failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopped.wait(), every)

    async def stop(self, timeout: float = 10.0) -> None:
        """Stop after the send in flight (if any) has been recorded."""
        self._stopping = True
        self._wake.set()
        self._stopped.set()
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, timeout)
            except TimeoutError:
                log.warning("broadcast engine did not stop in %ss; cancelled", timeout)
            self._task = None
        if self._flying:  # left by a tick() caller, or the loop was cancelled
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.drain(), timeout)
        if self._keeper is not None:
            await self._keeper
            self._keeper = None
        await self.store.run(self.lease.release)
        self._sending = False

    def wake(self) -> None:
        """Look for work now (a post was sent now or approved) instead of at the next tick."""
        self._wake.set()

    async def _run(self) -> None:
        while not self._stopping:
            self._wake.clear()  # before the work, so a wake() during it is not lost
            try:
                await self.store.run(self.materialise)
                if await self._may_send():
                    await self.deliver(budget=self.options.tick_seconds)
            except Exception:  # the loop must outlive any single bad row or bug
                log.exception("broadcast tick failed")
            if self._stopping:
                break
            pause = await self.store.run(self._pause)
            if pause > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), pause)

    async def _may_send(self) -> bool:
        """The sending lease is ours. A lease just taken over first lets one flood window
        pass, so the last holder's final second and ours never add up past the limit, and
        the last holder's sends left in flight count in our window as sends in flight
        until they are recorded (a dead holder's: until its lease runs out); the platform
        may still be receiving them."""
        held = await self.store.run(self.lease.hold)
        if held and not self._sending and self.lease.shared:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopped.wait(), HANDOVER_QUIET)
            left = await self.store.run(deliveries.in_flight_elsewhere, self.store, self.owner)
            self._inherited = [
                self.limiter.take(f"{platform}:", False, per_chat=False)
                for platform, count in left.items()
                for _ in range(count)
            ]
        if self._inherited and not (
            held and await self.store.run(deliveries.in_flight_elsewhere, self.store, self.owner)
        ):
            for grant in self._inherited:
                self.limiter.settle(grant, answered=False)  # counted from now, for a window
            self._inherited = []
        self._sending = held
        if not held:
            self._next_ready = float("inf")  # nothing of ours is waiting: poll each tick
        return held and not self._stopping

    def _pause(self) -> float:
        """Seconds to sleep: until the next due time, a waiting delivery, or a tick (0 while
        deliveries are ready: a budget that ran out is no reason to idle)."""
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
        try:
            with self.store.session() as session:
                made = materialise(session, self.clock(), self.options.grace)
        except IntegrityError:
            # Another engine on this database (a replica) recorded the same due time first:
            # (schedule, due time) is unique, so its occurrence stands and ours is rolled back.
            log.info("a due time was materialised by another engine; retried next tick")
            return 0
        return len(made)

    async def deliver(self, budget: float | None) -> int:
        """Start sends of pending deliveries, several in flight, until none is ready or
        `budget` seconds have passed; returns sends started. With no budget (tests) it
        also waits for every send it started to be recorded."""
        deadline = None if budget is None else time.monotonic() + budget
        self._next_ready = float("inf")
        started = 0
        while not self._stopping:
            # A send in flight while the query runs may put its delivery back to pending (a
            # 429) and finish before the query returns: then look again, never stop on it.
            settled = not self._flying
            jobs = [
                j
                for j in await self.store.run(deliveries.pending, self.store)
                if j.id not in self._busy
            ]
            if not jobs and settled:
                break
            progressed, waits = False, []
            for job in jobs:
                if self._stopping or (deadline is not None and time.monotonic() >= deadline):
                    self._next_ready = time.monotonic()  # work left: no pause before more
                    await self._finish()
                    return started
                wait = max(
                    self.sender.backoff_wait(job.id),
                    self.limiter.chat_wait(job.limit_key, job.is_group),
                )
                if wait > 0:
                    waits.append(wait)
                    continue
                await self._free_slot()
                while (wait := self.limiter.global_wait(job.limit_key)) > 0:
                    await asyncio.sleep(wait)
                if self._stopping or self.limiter.chat_wait(job.limit_key, job.is_group) > 0:
                    continue  # a 429 for this chat came back while we waited
                grant = self.limiter.take(job.limit_key, job.is_group)
                self._spawn(job, grant)
                started += 1
                progressed = True
            await self._finish()
            if progressed:
                continue
            wait = max(min(waits, default=0.05), 0.005)
            if deadline is not None and time.monotonic() + wait >= deadline:
                self._next_ready = time.monotonic() + (0.0 if self._flying else wait)
                break
            await self._first_done_or(wait)
        if budget is None or self._stopping:
            await self.drain()
            await self._finish()
        self.limiter.forget_idle()
        return started

    # -- sends in flight -------------------------------------------------------------------

    def _spawn(self, job: deliveries.Job, grant: Grant) -> None:
        self._busy.add(job.id)
        task = asyncio.create_task(self.sender.send(job, grant), name=f"delivery-{job.id}")
        self._flying.add(task)
        task.add_done_callback(self._flying.discard)
        task.add_done_callback(lambda _t, i=job.id: self._busy.discard(i))

    async def _free_slot(self) -> None:
        while len(self._flying) >= self.options.max_in_flight:
            await asyncio.wait(set(self._flying), return_when=asyncio.FIRST_COMPLETED)

    async def _first_done_or(self, seconds: float) -> None:
        if self._flying:
            await asyncio.wait(
                set(self._flying), timeout=seconds, return_when=asyncio.FIRST_COMPLETED
            )
        else:
            await asyncio.sleep(seconds)

    async def drain(self) -> None:
        """Until every send in flight has been recorded."""
        while self._flying:
            await asyncio.wait(set(self._flying))

    async def _finish(self) -> None:
        done = await self.store.run(deliveries.finish_occurrences, self.store, self.clock())
        for occurrence_id in done:
            self.sender.forget(occurrence_id)
