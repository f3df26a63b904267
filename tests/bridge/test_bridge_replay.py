"""The replay window: ids kept a day in the database, pruned after, never more than the cap."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from bridge_helpers import MEMBER, QUESTION
from sqlalchemy import func, insert, select

from bot.platforms.bridge.replay import WINDOW, ReplayGuard, SeenUpdate
from bot.store import open_store

IDS = 100_000


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)  # the one clock is aware UTC

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def store(database_url):
    store = open_store(database_url)
    yield store
    store.close()


def fill(store, clock: Clock, count: int = IDS) -> None:
    """`count` accepted message ids, one per second before now (the oldest a day ago)."""
    rows = [
        {
            "platform": "mocha",
            "kind": "message",
            "key": f"c{i % 500}/m{i}",
            "seen_at": clock.now - timedelta(seconds=count - i),
        }
        for i in range(count)
    ]
    with store.session() as session:
        for start in range(0, count, 20_000):
            session.execute(insert(SeenUpdate), rows[start : start + 20_000])


def stored(store) -> int:
    with store.session() as session:
        return session.scalar(select(func.count(SeenUpdate.id)))


def test_a_hundred_thousand_ids_are_refused_for_a_day_then_forgotten(store):
    clock = Clock()
    fill(store, clock)  # ids spread over the last ~28 hours (100,000 s)
    guard = ReplayGuard(store, clock=clock)
    assert guard.prune() == IDS - int((WINDOW + timedelta(hours=1)).total_seconds())
    assert stored(store) == 90_000  # what is 25 hours old or younger stays
    assert not guard.first_time("mocha", "message", f"c{99_999 % 500}/m99999")  # 1 s ago
    assert not guard.first_time("mocha", "message", f"c{10_001 % 500}/m10001")  # ~25 h ago
    assert guard.first_time("mocha", "message", "c1/new")
    assert guard.first_time("zalo", "message", "c1/new")  # another platform's ids are its own
    clock.now += timedelta(hours=2)  # a replay two hours later, freshly signed: still refused
    assert not guard.first_time("mocha", "message", "c1/new")
    clock.now += timedelta(hours=24)
    guard.prune()
    assert stored(store) == 0  # a day and an hour on, nothing is left
    assert guard.first_time("mocha", "message", "c1/new")


def test_over_the_cap_the_oldest_go_first(store):
    clock = Clock()
    fill(store, clock)
    guard = ReplayGuard(store, clock=clock, max_ids=50_000, keep=timedelta(days=30))
    assert guard.prune() == 50_000
    assert stored(store) == 50_000
    assert not guard.first_time("mocha", "message", f"c{99_999 % 500}/m99999")  # the newest
    assert guard.first_time("mocha", "message", f"c{0}/m0")  # the oldest was dropped


async def test_an_update_replayed_two_hours_later_gets_409_and_no_second_answer(
    bridge_bot, connector, receiver
):
    update = {
        "type": "message",
        "chat_id": "c7",
        "chat_type": "private",
        "user_id": MEMBER,
        "message_id": "m-7",
        "text": QUESTION,
    }
    assert (await connector.post(update)).status_code == 202
    await receiver.wait_for(lambda: receiver.sends("c7"))
    guard = bridge_bot.bridge.guard
    later = guard.clock() + timedelta(hours=2)
    guard.clock = lambda: later  # two hours on: the connector re-signs and sends it again
    again = await connector.post(update)
    assert again.status_code == 409 and again.json()["error"] == "duplicate"
    assert len(receiver.sends("c7")) == 1
