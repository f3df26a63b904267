"""Per-user question rate limit: a token bucket, with one polite warning per burst.

One port (`QuestionLimiter`: `await check(key)`), two adapters: `InProcess` keeps the
buckets in this process's memory (one process, the SQLite default: a dict lookup), and
bot/assistant/stored_limits.py keeps them in the database, where every replica sees the
same bucket whichever one gets the member's next update. Both apply `refill`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: float = 0.0  # seconds until the next question is allowed
    warn: bool = False  # first refusal since the last allowed question: say why, once


@dataclass
class Bucket:
    tokens: float
    at: float  # seconds on the limiter's clock
    warned: bool = False


def refill(bucket: Bucket, now: float, burst: int, rate: float) -> Decision:
    """Refill `bucket` up to `now` at `rate` tokens/s (at most `burst`), take one if there
    is one; the bucket is updated in place."""
    bucket.tokens = min(burst, bucket.tokens + max(now - bucket.at, 0.0) * rate)
    bucket.at = now
    if bucket.tokens >= 1.0:
        bucket.tokens -= 1.0
        bucket.warned = False
        return Decision(True)
    wait = (1.0 - bucket.tokens) / rate if rate > 0 else float("inf")
    warn = not bucket.warned
    bucket.warned = True
    return Decision(False, wait, warn)


class QuestionLimiter(Protocol):
    """The members' question limit, as the assistant uses it."""

    async def check(self, key: str) -> Decision: ...


class RateLimiter:
    """`burst` questions at once, refilled at `per_minute`; idle users are forgotten."""

    def __init__(
        self, burst: int, per_minute: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.burst = max(burst, 1)
        self.rate = per_minute / 60.0
        self._clock = clock
        self._buckets: dict[str, Bucket] = {}

    def check(self, key: str) -> Decision:
        """Take one token for `key` if there is one."""
        now = self._clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = Bucket(float(self.burst), now)
            if len(self._buckets) > 10_000:
                self._forget_idle(now)
        return refill(bucket, now, self.burst, self.rate)

    def _forget_idle(self, now: float) -> None:
        # a bucket that would be full again holds no information
        full_after = self.burst / self.rate if self.rate > 0 else float("inf")
        for key in [k for k, b in self._buckets.items() if now - b.at > full_after]:
            del self._buckets[key]


class InProcess:
    """The question limit of one process: buckets in memory."""

    def __init__(self, limiter: RateLimiter) -> None:
        self.limiter = limiter

    async def check(self, key: str) -> Decision:
        return self.limiter.check(key)
