"""The members' question limit kept in the database: one bucket per member for all replicas.

With several replicas behind a load balancer a member's next update may reach any of them,
so a bucket in one process's memory would give each member `burst` questions per replica.
Here each check is one transaction: the row is created if missing, locked (`FOR UPDATE`
on PostgreSQL; SQLite has one writer anyway), refilled by ratelimit.refill on the wall
clock (monotonic clocks differ between machines) and written back. Idle rows are deleted
now and then. About a millisecond a question on a local PostgreSQL, against microseconds
in memory (bench/README.md): the composition root uses it only for a shared database.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import Boolean, Float, String, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from bot.assistant.ratelimit import Bucket, Decision, refill
from bot.clock import utcnow
from bot.store import Base, Store, UTCDateTime, insert_or_keep

EPOCH = datetime(2020, 1, 1, tzinfo=UTC)  # bucket times as seconds since, for refill
SWEEP_CHANCE = 0.001  # of checks that also delete idle buckets


class MemberBucket(Base):
    """A member's question bucket (the key is platform:user id, as the limiter gets it)."""

    __tablename__ = "member_buckets"

    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    tokens: Mapped[float] = mapped_column(Float)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    warned: Mapped[bool] = mapped_column(Boolean, default=False)


class StoredRateLimiter:
    """`burst` questions at once, refilled at `per_minute`, counted in the database."""

    def __init__(self, store: Store, burst: int, per_minute: float, clock=utcnow) -> None:
        self.store = store
        self.burst = max(burst, 1)
        self.rate = per_minute / 60.0
        self.clock = clock

    async def check(self, key: str) -> Decision:
        return await self.store.run(self.check_now, key)

    def check_now(self, key: str) -> Decision:
        """Take one token for `key` if there is one (blocking: call it off the loop)."""
        now = self.clock()
        with self.store.session() as session:
            insert_or_keep(
                session, MemberBucket, key=key, tokens=float(self.burst), at=now, warned=False
            )
            row = session.scalars(
                select(MemberBucket).where(MemberBucket.key == key).with_for_update()
            ).one()
            bucket = Bucket(row.tokens, (row.at - EPOCH).total_seconds(), row.warned)
            decision = refill(bucket, (now - EPOCH).total_seconds(), self.burst, self.rate)
            row.tokens, row.at, row.warned = bucket.tokens, now, bucket.warned
            if random.random() < SWEEP_CHANCE:
                self._sweep(session, now)
        return decision

    def _sweep(self, session, now: datetime) -> None:
        # a bucket that would be full again holds no information
        if self.rate > 0:
            idle = timedelta(seconds=self.burst / self.rate)
            session.execute(delete(MemberBucket).where(MemberBucket.at < now - idle))
