"""Flood control and injected faults of the Bot API stub."""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass


class ApiError(Exception):
    """A Bot API error answer: HTTP status, description and optional retry_after."""

    def __init__(self, code: int, description: str, retry_after: int | None = None):
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> dict:
        """The JSON body Telegram sends for this error."""
        body: dict = {"ok": False, "error_code": self.code, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def too_many_requests(retry_after: int) -> ApiError:
    """A 429 as Telegram words it."""
    return ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after)


class SlidingWindow:
    """At most `limit` events in any `seconds`-long window."""

    def __init__(self, limit: int, seconds: float):
        self.limit = limit
        self.seconds = seconds
        self._stamps: deque[float] = deque()

    def wait_needed(self, now: float) -> float:
        """Seconds until one more event fits (0 when it fits now)."""
        while self._stamps and self._stamps[0] <= now - self.seconds:
            self._stamps.popleft()
        if len(self._stamps) < self.limit:
            return 0.0
        return self._stamps[0] + self.seconds - now

    def add(self, now: float) -> None:
        """Count one event."""
        self._stamps.append(now)


@dataclass(frozen=True)
class FloodLimits:
    """Which Telegram flood limits the stub enforces on sending methods.

    `per_chat_per_sec` applies to groups only unless `per_chat_in_private` is set: in
    practice Telegram lets a bot answer a private chat in short bursts, so a strict 1/s
    there would make the stub harsher than the real service.
    """

    global_per_sec: int | None = 30
    per_group_per_min: int | None = 20
    per_chat_per_sec: float | None = None
    per_chat_in_private: bool = False


class FloodControl:
    """Sliding-window counters for one FloodLimits."""

    def __init__(self, limits: FloodLimits):
        self.limits = limits
        self._global = SlidingWindow(limits.global_per_sec or 0, 1.0)
        self._groups: dict[object, SlidingWindow] = {}
        self._chats: dict[object, SlidingWindow] = {}

    def _chat_window(self, chat_id: object) -> SlidingWindow:
        rate = self.limits.per_chat_per_sec or 1.0
        if chat_id not in self._chats:
            # r/s as "ceil(r) messages per ceil(r)/r seconds" keeps sub-1 rates expressible.
            burst = max(1, math.ceil(rate))
            self._chats[chat_id] = SlidingWindow(burst, burst / rate)
        return self._chats[chat_id]

    def admit(self, chat_id: object, is_group: bool, now: float) -> int | None:
        """Count a send and return None, or refuse it and return retry_after seconds."""
        windows = []
        if self.limits.global_per_sec:
            windows.append(self._global)
        if is_group and self.limits.per_group_per_min:
            window = self._groups.setdefault(
                chat_id, SlidingWindow(self.limits.per_group_per_min, 60.0)
            )
            windows.append(window)
        if self.limits.per_chat_per_sec and (is_group or self.limits.per_chat_in_private):
            windows.append(self._chat_window(chat_id))
        wait = max((w.wait_needed(now) for w in windows), default=0.0)
        if wait > 0:
            return max(1, math.ceil(wait))
        for window in windows:
            window.add(now)
        return None


@dataclass
class Fault:
    """An injected failure for the next `times` matching requests."""

    method: str
    chat_id: int | str | None
    times: int
    error: ApiError | None = None
    # When error is None the request is carried out, then answered late or never.
    hang_seconds: float = 0.0
    close: bool = False

    def matches(self, method: str, params: dict) -> bool:
        """Whether this fault applies to a request."""
        if self.times <= 0 or self.method != method.lower():
            return False
        return self.chat_id is None or str(params.get("chat_id")) == str(self.chat_id)


def largest_burst(stamps: list[float], seconds: float = 1.0) -> int:
    """The most stamps in any `seconds`-long window (closed at both ends: the strict view),
    to check arrivals against Telegram's "30 a second" as the stub counts them."""
    stamps = sorted(stamps)
    best, first = 0, 0
    for last, stamp in enumerate(stamps):
        while stamp - stamps[first] > seconds:
            first += 1
        best = max(best, last - first + 1)
    return best
