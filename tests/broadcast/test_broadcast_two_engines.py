"""Two delivery engines on one database (two replicas): every group gets each post once.

Each engine has its own Store (its own connections, as another process would) over the
same database, SQLite file or PostgreSQL, and they tick side by side.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter

from broadcast_helpers import FakePlatform, add_groups, add_post, add_schedule, make_engine
from sqlalchemy import func, select

from bot.broadcast.models import SENT, Delivery, Occurrence
from bot.broadcast.recurrence import Recurrence
from bot.store import open_store

GROUPS = 120


class SlowPlatform(FakePlatform):
    """A send that yields to the event loop, as a real HTTP call does."""

    async def send(self, chat_id, message, reply_to=None):
        await asyncio.sleep(0.002)
        return await super().send(chat_id, message, reply_to)


async def test_two_engines_never_send_one_delivery_twice(store, database_url, clock):
    groups = add_groups(store, GROUPS)
    add_schedule(store, add_post(store), None, clock.now)
    other = open_store(database_url)
    try:
        one, two = SlowPlatform(), SlowPlatform()
        engines = [make_engine(store, one, clock), make_engine(other, two, clock)]
        await asyncio.gather(*(e.tick() for e in engines))
        sent = Counter(one.chats() + two.chats())
        assert sorted(sent) == sorted(groups)
        assert set(sent.values()) == {1}  # each group once, whichever engine sent it
        with store.session() as session:
            states = Counter(session.scalars(select(Delivery.status)))
        assert states == {SENT: GROUPS}
    finally:
        other.close()


async def test_a_due_time_is_materialised_once_by_two_engines(store, database_url, clock):
    add_groups(store, 3)
    daily = Recurrence.daily(dt.time(8, 0))
    add_schedule(store, add_post(store), daily, clock.now)  # next: tomorrow 08:00 local
    other = open_store(database_url)
    try:
        one, two = SlowPlatform(), SlowPlatform()
        engines = [make_engine(store, one, clock), make_engine(other, two, clock)]
        clock.advance(days=1, seconds=1)
        for _ in range(3):  # each engine materialises on every tick
            await asyncio.gather(*(e.tick() for e in engines))
        with store.session() as session:
            assert session.scalar(select(func.count(Occurrence.id))) == 1
        assert len(one.sent) + len(two.sent) == 3
    finally:
        other.close()
