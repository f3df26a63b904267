"""The state every part of the stub shares: one lock, the world, the record, waiters."""

from __future__ import annotations

import asyncio
import copy
import random
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from testkit._limits import Fault
from testkit._methods import CANONICAL
from testkit._record import Call, dumps
from testkit._world import World

Condition = str | Callable[[], Any]


class StubCore:
    """Shared state and the waiting primitives; the mixins of BotApiStub build on it."""

    def __init__(self, token: str, bot_user: dict, record_path: str | Path | None):
        self.token = token
        self._world = World(bot_user)
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._stopping = threading.Event()
        self._async_waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()
        self._record_path = Path(record_path) if record_path else None
        self._record_file: IO[str] | None = None
        self._calls: list[Call] = []
        self._faults: list[Fault] = []
        self._delays: dict[str, float] = {}
        self._poll_generation = 0
        self._waiting_polls = 0
        self._count_429 = 0
        self._network = None  # _serving.Network: latency of every request
        self._rng = random.Random()
        self._random_faults = None  # _serving.RandomFaults
        self._fault_rng = random.Random()
        self._injected: dict[str, int] = {}
        self.errors: list[BaseException] = []

    def _notify(self) -> None:
        """Wake sync and async waiters; the caller holds the lock."""
        self._changed.notify_all()
        for waiter in list(self._async_waiters):
            try:
                waiter[0].call_soon_threadsafe(waiter[1].set)
            except RuntimeError:  # the waiter's loop is closed
                self._async_waiters.discard(waiter)

    def _record(self, call: Call) -> None:
        self._calls.append(call)
        if self._record_file is not None:
            self._record_file.write(dumps(call) + "\n")
            self._record_file.flush()
        self._notify()

    def _queue(self, update: dict) -> dict:
        queued = self._world.queue(copy.deepcopy(update))
        self._notify()
        return copy.deepcopy(queued)

    def _check(self, condition: Condition, count: int) -> Callable[[], Any]:
        if callable(condition):
            return condition
        name = CANONICAL.get(condition.lower(), condition)

        def enough_calls() -> list[Call] | None:
            matched = [call for call in self._calls if call.method == name]
            return matched if len(matched) >= count else None

        return enough_calls

    def _timed_out(self, condition: Condition, count: int, timeout: float) -> TimeoutError:
        what = f"{count} call(s) of {condition}" if isinstance(condition, str) else "condition"
        recent = ", ".join(f"{c.method}→{c.status}" for c in self._calls[-8:])
        return TimeoutError(f"waited {timeout}s for {what}; last calls: {recent or 'none'}")

    def wait_for(self, condition: Condition, count: int = 1, timeout: float = 5.0) -> Any:
        """Block until `count` calls of a method (returned) or a predicate's truthy value.

        Do not call it from a coroutine: it would block the loop the bot runs on.
        """
        check = self._check(condition, count)
        deadline = time.monotonic() + timeout
        with self._changed:
            while not (result := check()):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise self._timed_out(condition, count, timeout)
                self._changed.wait(remaining)
            return result

    async def wait_for_async(
        self, condition: Condition, count: int = 1, timeout: float = 5.0
    ) -> Any:
        """wait_for without blocking the event loop (use it inside async tests)."""
        check = self._check(condition, count)
        waiter = (asyncio.get_running_loop(), asyncio.Event())
        with self._lock:
            self._async_waiters.add(waiter)
        try:
            async with asyncio.timeout(timeout):
                while True:
                    waiter[1].clear()
                    with self._lock:
                        if result := check():
                            return result
                    await waiter[1].wait()
        except TimeoutError:
            with self._lock:
                raise self._timed_out(condition, count, timeout) from None
        finally:
            with self._lock:
                self._async_waiters.discard(waiter)
