"""One delivery's send: claim it, call the platform, record what happened.

The claim is committed before the platform is called and the outcome after, so a crash
in between leaves the row in `sending` for `deliveries.recover` to report `uncertain`.
Which exception means what (docs: bot/errors.py): RetryLater and Unreachable surely did
not go out and are tried again (the first uncounted, the second with backoff, up to
`max_attempts`); ChatGone, Rejected fail; Uncertain and any adapter bug may have gone
out, so they are never resent. Every try carries one key (DELIVERY_KEY,
"broadcast-<id>"): the bridge sends it as its delivery id.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from datetime import datetime, timedelta

from bot.broadcast import deliveries
from bot.broadcast.limits import FloodLimiter, Grant
from bot.broadcast.models import FAILED, PENDING, SENT, UNCERTAIN, Occurrence
from bot.broadcast.posts import PostContent
from bot.chat import DELIVERY_KEY, Platform
from bot.clock import Clock
from bot.errors import ChatGone, Rejected, RetryLater, Uncertain, Unreachable
from bot.store import Store

log = logging.getLogger(__name__)

# what an occurrence sends: its content, silently?, pinned?
Message = tuple[PostContent, bool, bool]


class Sender:
    """Sends one delivery under this engine's claim and records its outcome."""

    def __init__(
        self,
        store: Store,
        platforms: Mapping[str, Platform],
        limiter: FloodLimiter,
        clock: Clock,
        owner: str,
        options,  # EngineOptions (engine.py imports this module, not the other way)
    ) -> None:
        self.store = store
        self.platforms = platforms  # looked up at send time: adapters may connect later
        self.limiter = limiter
        self.clock = clock
        self.owner = owner
        self.options = options
        self._retry_at: dict[int, float] = {}  # delivery id -> monotonic time (backoff)
        self._content: dict[int, Message | None] = {}

    def lease_until(self) -> datetime:
        """When a claim taken or renewed now runs out."""
        return self.clock() + timedelta(seconds=self.options.lease_seconds)

    def backoff_wait(self, delivery_id: int) -> float:
        """Seconds until a delivery that could not connect may be tried again (<= 0: now)."""
        return self._retry_at.get(delivery_id, 0.0) - time.monotonic()

    def forget(self, occurrence_id: int) -> None:
        """Drop a finished occurrence's cached message."""
        self._content.pop(occurrence_id, None)

    async def send(self, job: deliveries.Job, grant: Grant) -> None:
        """Send `job` (its flood grant taken) and record the outcome; never raises."""
        try:
            await self._deliver_one(job, grant)
        except Exception:  # recording failed (database gone?): the row stays for recover()
            log.exception("delivery %s could not be recorded", job.id)
        finally:
            self.limiter.cancel(grant)  # no-op once settled

    async def _message_of(self, occurrence_id: int) -> Message | None:
        if occurrence_id not in self._content:
            self._content[occurrence_id] = await self.store.run(self._load, occurrence_id)
        return self._content[occurrence_id]

    def _load(self, occurrence_id: int) -> Message | None:
        with self.store.session() as session:
            occ = session.get(Occurrence, occurrence_id)
            return (PostContent.from_json(occ.content), occ.silent, occ.pin) if occ else None

    async def _deliver_one(self, job: deliveries.Job, grant: Grant) -> None:
        platform = self.platforms.get(job.platform)
        message = await self._message_of(job.occurrence_id)
        if platform is None or message is None:
            self.limiter.cancel(grant)
            if await self._claim(job):
                reason = f"nền tảng «{job.platform}» chưa được kết nối"
                await self._record(job, FAILED, reason)
            return
        content, silent, pin = message
        if not await self._claim(job):
            self.limiter.cancel(grant)
            return
        self.limiter.start(grant)
        token = DELIVERY_KEY.set(f"broadcast-{job.id}")  # one delivery id on every try
        try:
            sent = await platform.send(job.chat_id, content.message(silent=silent))
        except RetryLater as exc:
            self.limiter.settle(grant)
            self.limiter.hold(job.limit_key, exc.retry_after)
            # It surely did not go out, and waiting is not a failure: try again, uncounted.
            await self._record(job, PENDING, str(exc), attempts=job.attempts)
        except Unreachable as exc:
            self.limiter.settle(grant, answered=False)
            await self._retry_or_fail(job, exc)
        except ChatGone as exc:
            self.limiter.settle(grant)
            reason = f"nhóm không còn nhận tin: {exc}"
            await self._record(job, FAILED, reason)
            await self.store.run(deliveries.deactivate, self.store, job.chat_ref, str(exc))
        except Rejected as exc:
            self.limiter.settle(grant)
            await self._record(job, FAILED, f"bị từ chối: {exc}")
        except Uncertain as exc:
            self.limiter.settle(grant)
            reason = f"không rõ đã tới chưa: {exc}"
            await self._record(job, UNCERTAIN, reason)
        except Exception as exc:  # an adapter bug: the request may have left, so never resend
            self.limiter.settle(grant)
            log.exception("send to %s:%s failed unexpectedly", job.platform, job.chat_id)
            reason = f"lỗi không xác định: {exc!r}"
            await self._record(job, UNCERTAIN, reason)
        else:
            self.limiter.settle(grant)
            self._retry_at.pop(job.id, None)
            recorded = await self._record(
                job, SENT, message_id=sent.message_id, sent_at=self.clock()
            )
            if pin and recorded:
                await self._pin(job, platform, sent.message_id)
        finally:
            DELIVERY_KEY.reset(token)

    async def _claim(self, job: deliveries.Job) -> bool:
        return await self.store.run(
            deliveries.claim, self.store, job.id, self.owner, self.lease_until()
        )

    async def _record(self, job: deliveries.Job, status: str, reason: str = "", **values) -> bool:
        """The outcome of our claim; False when another engine took the row meanwhile (our
        lease ran out while we stalled: it is reported `uncertain` and stays so)."""
        done = await self.store.run(
            deliveries.record, self.store, job.id, status, reason, self.owner, **values
        )
        if not done:
            log.warning("delivery %s was taken over before its outcome (%s)", job.id, status)
        return done

    async def _retry_or_fail(self, job: deliveries.Job, exc: Exception) -> None:
        attempts = job.attempts + 1
        if attempts >= self.options.max_attempts:
            self._retry_at.pop(job.id, None)
            reason = f"không kết nối được sau {attempts} lần: {exc}"
            await self._record(job, FAILED, reason)
            return
        delay = min(
            self.options.backoff_seconds * 2 ** (attempts - 1), self.options.max_backoff_seconds
        )
        self._retry_at[job.id] = time.monotonic() + delay
        reason = f"lần {attempts} không kết nối được: {exc}"
        await self._record(job, PENDING, reason)

    async def _pin(self, job: deliveries.Job, platform: Platform, message_id: str) -> None:
        while (wait := self.limiter.global_wait(job.limit_key)) > 0:
            await asyncio.sleep(wait)
        try:
            await platform.pin(job.chat_id, message_id, silent=True)
        except Exception as exc:  # the post is out; a failed pin is only worth a note
            reason = f"đã gửi nhưng không ghim được: {exc}"
            await self.store.run(deliveries.record, self.store, job.id, SENT, reason)
        else:
            await self.store.run(deliveries.record, self.store, job.id, SENT, pinned=True)
