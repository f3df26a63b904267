"""A flood-safe rate limiter: 30 messages/s overall, 20/min per group, 1/s per chat.

Every limit is a sliding window ("at most N sends in any T seconds"), as Telegram counts.
A send's stamp is taken when its slot is granted and moved to the moment its answer came
back (`FloodLimiter.settle`): the request reached Telegram somewhere in between, so a window
measured from the answer can never be shorter on Telegram's side than on ours, whatever
the network jitter. That lets us run at the full rate without a 429.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Telegram's flood limits, and a small safety margin added to every window."""

    per_second: int = 30
    per_group_per_minute: int = 20
    per_chat_per_second: float = 1.0
    margin: float = 0.01  # seconds


class Window:
    """At most `limit` stamps in any `seconds`-long interval."""

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit = limit
        self.seconds = seconds
        self.stamps: deque[float] = deque()

    def wait(self, now: float) -> float:
        """Seconds until one more stamp fits (0 when it fits now)."""
        while self.stamps and self.stamps[0] <= now - self.seconds:
            self.stamps.popleft()
        if len(self.stamps) < self.limit:
            return 0.0
        return self.stamps[0] + self.seconds - now

    def add(self, now: float) -> None:
        self.stamps.append(now)

    def settle(self, now: float) -> None:
        """Move the newest stamp to `now` (the answer to that send has arrived)."""
        if self.stamps:
            self.stamps[-1] = max(self.stamps[-1], now)


class FloodLimiter:
    """Grants send slots one at a time; the caller sends sequentially and settles each."""

    def __init__(self, limits: Limits | None = None, clock: Callable[[], float] = time.monotonic):
        self.limits = limits or Limits()
        self.clock = clock
        m = self.limits.margin
        self._global = Window(self.limits.per_second, 1.0 + m)
        self._groups: dict[str, Window] = {}
        self._chats: dict[str, Window] = {}
        self._holds: dict[str, float] = {}  # chat -> monotonic time before which we wait
        self._granted: list[Window] = []

    def _chat_windows(self, chat: str, is_group: bool, create: bool = False) -> list[Window]:
        m = self.limits.margin
        windows = []
        if is_group:
            window = self._groups.get(chat)
            if window is None and create:
                window = self._groups[chat] = Window(self.limits.per_group_per_minute, 60.0 + m)
            if window is not None:
                windows.append(window)
        window = self._chats.get(chat)
        if window is None and create:
            window = self._chats[chat] = Window(1, 1.0 / self.limits.per_chat_per_second + m)
        if window is not None:
            windows.append(window)
        return windows

    def chat_wait(self, chat: str, is_group: bool) -> float:
        """Seconds until this chat's own limits (and any hold) allow a send."""
        now = self.clock()
        wait = max((w.wait(now) for w in self._chat_windows(chat, is_group)), default=0.0)
        return max(wait, self._holds.get(chat, now) - now, 0.0)

    def global_wait(self) -> float:
        """Seconds until the overall limit allows a send."""
        return self._global.wait(self.clock())

    def take(self, chat: str, is_group: bool) -> None:
        """Count a send now (call only when both waits are 0)."""
        now = self.clock()
        self._granted = [self._global, *self._chat_windows(chat, is_group, create=True)]
        for window in self._granted:
            window.add(now)
        self._holds.pop(chat, None)

    def settle(self) -> None:
        """The last granted send has been answered (or failed): restamp it with now."""
        now = self.clock()
        for window in self._granted:
            window.settle(now)
        self._granted = []

    async def acquire(self, chat: str, is_group: bool) -> None:
        """Wait until a send to `chat` fits every limit, then count it."""
        while (wait := max(self.chat_wait(chat, is_group), self.global_wait())) > 0:
            await asyncio.sleep(wait)
        self.take(chat, is_group)

    def hold(self, chat: str, seconds: float) -> None:
        """Send nothing to `chat` for `seconds` (the platform said RetryAfter)."""
        self._holds[chat] = max(self._holds.get(chat, 0.0), self.clock() + seconds)

    def forget_idle(self) -> None:
        """Drop windows with no recent stamp, so memory follows active chats only."""
        now = self.clock()
        for table in (self._groups, self._chats):
            for chat in [c for c, w in table.items() if w.wait(now) == 0 and not w.stamps]:
                del table[chat]
        for chat in [c for c, until in self._holds.items() if until <= now]:
            del self._holds[chat]
