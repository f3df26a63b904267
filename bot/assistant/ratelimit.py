"""Per-user question rate limit: a token bucket, with one polite warning per burst."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: float = 0.0  # seconds until the next question is allowed
    warn: bool = False  # first refusal since the last allowed question: say why, once


@dataclass
class _Bucket:
    tokens: float
    at: float
    warned: bool = False


class RateLimiter:
    """`burst` questions at once, refilled at `per_minute`; idle users are forgotten."""

    def __init__(
        self, burst: int, per_minute: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.burst = max(burst, 1)
        self.rate = per_minute / 60.0
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}

    def check(self, key: str) -> Decision:
        """Take one token for `key` if there is one."""
        now = self._clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(float(self.burst), now)
            if len(self._buckets) > 10_000:
                self._forget_idle(now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.at) * self.rate)
        bucket.at = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            bucket.warned = False
            return Decision(True)
        wait = (1.0 - bucket.tokens) / self.rate if self.rate > 0 else float("inf")
        warn = not bucket.warned
        bucket.warned = True
        return Decision(False, wait, warn)

    def _forget_idle(self, now: float) -> None:
        # a bucket that would be full again holds no information
        full_after = self.burst / self.rate if self.rate > 0 else float("inf")
        for key in [k for k, b in self._buckets.items() if now - b.at > full_after]:
            del self._buckets[key]
