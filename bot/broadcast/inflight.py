"""The engine's sends in flight: one task per delivery, at most `most` at once.

Several at once because one at a time pays every round trip in full (bot/broadcast/engine.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine


class InFlight:
    """The sends started and not yet recorded, and their delivery ids."""

    def __init__(self, most: int) -> None:
        self.most = most
        self._tasks: set[asyncio.Task] = set()
        self._ids: set[int] = set()

    def __bool__(self) -> bool:
        return bool(self._tasks)

    def has(self, delivery_id: int) -> bool:
        """This delivery's send is in flight (not to be started again)."""
        return delivery_id in self._ids

    def start(self, delivery_id: int, send: Coroutine) -> None:
        self._ids.add(delivery_id)
        task = asyncio.create_task(send, name=f"delivery-{delivery_id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        task.add_done_callback(lambda _t: self._ids.discard(delivery_id))

    async def free_slot(self) -> None:
        """Until fewer than `most` are in flight."""
        while len(self._tasks) >= self.most:
            await asyncio.wait(set(self._tasks), return_when=asyncio.FIRST_COMPLETED)

    async def first_done_or(self, seconds: float) -> None:
        """Until one send is recorded or `seconds` have passed."""
        if self._tasks:
            await asyncio.wait(
                set(self._tasks), timeout=seconds, return_when=asyncio.FIRST_COMPLETED
            )
        else:
            await asyncio.sleep(seconds)

    async def drain(self) -> None:
        """Until every send in flight has been recorded."""
        while self._tasks:
            await asyncio.wait(set(self._tasks))
