"""A flood-safe rate limiter: 30 messages/s per bot, 20/min per group, 1/s per chat.

Every limit is a sliding window ("at most N sends in any T seconds"), as Telegram counts,
and it holds across sends in flight at once. What Telegram counts is when each request
reaches it. A request leaving now arrives at least the shortest way out later; one whose
answer came back at time A arrived at most the shortest way back before A. So a send is
stamped, once answered (`settle`), at its answer minus the shortest round trip seen (to
that platform, from answers only: a refused connection says nothing about the way): the
next request is granted a slot only when it cannot reach Telegram within the window of
that stamp plus the way out. The shortest trip is applied when windows are read, so
stamps made while it was still the first, connection-opening trips move later as it
shrinks. Until its answer a send counts as in flight and never ages out. Every window
is `margin` longer than Telegram's, for the part of the shortest round trip that is not
travel (our and Telegram's processing). Stamping at the answer (safe for
any network, as a sequential sender may) would cost a whole round trip per window:
30/(1 + 0.15) = 26/s at 150 ms instead of 30.

Replies to members draw from the same per-bot budget as broadcasts but go first: while a
reply is waiting or was sent in the last `reply_quiet` seconds, broadcasts leave
`reply_reserve` of the per-second budget free.
"""

from __future__ import annotations

import asyncio
import bisect
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Limits:
    """Telegram's flood limits, the safety margin of every window, the replies' share."""

    per_second: int = 30
    per_group_per_minute: int = 20
    per_chat_per_second: float = 1.0
    margin: float = 0.02  # seconds added to every window
    reply_reserve: int = 5  # of per_second, kept free for replies while members are asking
    reply_quiet: float = 2.0  # seconds after the last reply during which the reserve holds
    trust_after: int = 30  # answers after which half the shortest round trip is trusted


class Window:
    """At most `limit` sends in any `seconds`-long interval, sends in flight included.

    It keeps answer times; a send counts from its answer less `shift` (the shortest round
    trip, given at each call: as it shrinks, sends already settled move later, never
    earlier, so an estimate from the first, slow, connection-opening trips is corrected).
    """

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit = limit
        self.seconds = seconds
        self.answers: list[float] = []  # settled sends, sorted
        self.flying: dict[int, float] = {}  # grant id -> expected answer time

    def wait(self, now: float, limit: int | None = None, shift: float = 0.0) -> float:
        """Seconds until one more send fits (0 when it fits now)."""
        limit = self.limit if limit is None else limit
        cut = bisect.bisect_right(self.answers, now - self.seconds + shift)
        del self.answers[:cut]
        count = len(self.answers) + len(self.flying)
        if count < limit:
            return 0.0
        # a send in flight never ages out: its expiry is at least a moment away
        expiries = sorted(
            [a - shift + self.seconds for a in self.answers]
            + [max(a - shift + self.seconds, now + 0.005) for a in self.flying.values()]
        )
        return max(expiries[count - limit] - now, 0.001)

    @property
    def idle(self) -> bool:
        return not self.answers and not self.flying


@dataclass
class Trips:
    """Round trips to one platform: the shortest seen, and a running usual one."""

    shortest: float = float("inf")
    usual: float = 0.0
    count: int = 0

    def add(self, trip: float) -> None:
        self.shortest = min(self.shortest, trip)
        self.usual = trip if self.usual == 0 else 0.8 * self.usual + 0.2 * trip
        self.count += 1

    def shift(self, trust_after: int) -> float:
        """How far before its answer a send is stamped: the shortest trip, trusted as the
        samples grow (the first trips open connections and are slow, so the shortest of a
        few overstates the way): half of it after `trust_after` answers, 97% after 1,000."""
        if self.count == 0:
            return 0.0
        return self.shortest * self.count / (self.count + trust_after)


def _platform(chat: str) -> str:
    """ "telegram" of "telegram:-100…" (the engine's and the courier's chat keys)."""
    return chat.split(":", 1)[0] if ":" in chat else ""


@dataclass
class Grant:
    """One send counted in its windows; settle or cancel it exactly once."""

    id: int
    chat: str
    windows: list[Window]
    started: float = 0.0
    done: bool = field(default=False, repr=False)


class FloodLimiter:
    """Grants send slots; several may be in flight at once (take, start, settle)."""

    def __init__(self, limits: Limits | None = None, clock: Callable[[], float] = time.monotonic):
        self.limits = limits or Limits()
        self.clock = clock
        self._ids = itertools.count(1)
        self._globals: dict[str, Window] = {}  # platform -> its per-bot window
        self._groups: dict[str, Window] = {}
        self._chats: dict[str, Window] = {}
        self._holds: dict[str, float] = {}  # chat -> monotonic time before which we wait
        self._trips: dict[str, Trips] = {}  # platform -> its round trips
        self._replies_waiting = 0
        self._last_reply = float("-inf")

    # -- windows -----------------------------------------------------------------------

    def _global(self, chat: str) -> Window:
        platform = _platform(chat)
        window = self._globals.get(platform)
        if window is None:
            window = Window(self.limits.per_second, 1.0 + self.limits.margin)
            self._globals[platform] = window
        return window

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
        shift = self._shift(chat)
        windows = self._chat_windows(chat, is_group)
        wait = max((w.wait(now, shift=shift) for w in windows), default=0.0)
        return max(wait, self._holds.get(chat, now) - now, 0.0)

    def replies_active(self) -> bool:
        """A reply is waiting, or one went out a moment ago: broadcasts leave it room."""
        quiet = self.clock() - self._last_reply > self.limits.reply_quiet
        return self._replies_waiting > 0 or not quiet

    def global_wait(self, chat: str = "") -> float:
        """Seconds until the per-bot limit allows a broadcast send to `chat`'s platform."""
        reserve = self.limits.reply_reserve if self.replies_active() else 0
        limit = max(self.limits.per_second - reserve, 1)
        return self._global(chat).wait(self.clock(), limit, self._shift(chat))

    # -- grants ------------------------------------------------------------------------

    def take(self, chat: str, is_group: bool, *, per_chat: bool = True) -> Grant:
        """Count a send now, in flight (call only when the waits are 0)."""
        now = self.clock()
        windows = [self._global(chat)]
        if per_chat:
            windows += self._chat_windows(chat, is_group, create=True)
        grant = Grant(next(self._ids), chat, windows, started=now)
        for window in windows:
            window.flying[grant.id] = now + self._trips_of(chat).usual
        self._holds.pop(chat, None)
        return grant

    def start(self, grant: Grant) -> None:
        """The request leaves now (after the delivery was claimed in the database)."""
        now = self.clock()
        grant.started = now
        for window in grant.windows:
            window.flying[grant.id] = now + self._trips_of(grant.chat).usual

    def _trips_of(self, chat: str) -> Trips:
        return self._trips.setdefault(_platform(chat), Trips())

    def _shift(self, chat: str) -> float:
        return self._trips_of(chat).shift(self.limits.trust_after)

    def settle(self, grant: Grant, answered: bool = True) -> None:
        """The request ended after leaving: stamp it (see above). `answered`: the far end
        answered (not a refused connection), so its round trip is a measure of the way."""
        if grant.done:
            return
        grant.done = True
        now = self.clock()
        if answered:
            self._trips_of(grant.chat).add(max(now - grant.started, 0.0))
        for window in grant.windows:
            window.flying.pop(grant.id, None)
            bisect.insort(window.answers, now)

    def cancel(self, grant: Grant) -> None:
        """Nothing was sent (the delivery was taken meanwhile): give the slot back."""
        if grant.done:
            return
        grant.done = True
        for window in grant.windows:
            window.flying.pop(grant.id, None)

    async def acquire(self, chat: str, is_group: bool) -> Grant:
        """Wait until a broadcast send to `chat` fits every limit, then count it."""
        while (wait := max(self.chat_wait(chat, is_group), self.global_wait(chat))) > 0:
            await asyncio.sleep(wait)
        return self.take(chat, is_group)

    async def reply_slot(self, chat: str) -> Grant:
        """Wait for the per-bot limit only (full, not the broadcasts' share); count a reply.

        Replies skip the per-chat windows: members are paced by the question limit, and
        a reply held a minute behind a group's broadcast quota would come too late.
        """
        self._replies_waiting += 1
        try:
            while (
                wait := max(
                    self._global(chat).wait(self.clock(), shift=self._shift(chat)),
                    self._holds.get(chat, 0.0) - self.clock(),
                )
            ) > 0:
                await asyncio.sleep(wait)
            self._last_reply = self.clock()
            return self.take(chat, False, per_chat=False)
        finally:
            self._replies_waiting -= 1

    def hold(self, chat: str, seconds: float) -> None:
        """Send nothing to `chat` for `seconds` (the platform said RetryAfter)."""
        self._holds[chat] = max(self._holds.get(chat, 0.0), self.clock() + seconds)

    def forget_idle(self) -> None:
        """Drop windows with no recent stamp, so memory follows active chats only."""
        now = self.clock()
        for table in (self._groups, self._chats):
            for chat in [
                c for c, w in table.items() if w.wait(now, shift=self._shift(c)) == 0 and w.idle
            ]:
                del table[chat]
        for chat in [c for c, until in self._holds.items() if until <= now]:
            del self._holds[chat]
