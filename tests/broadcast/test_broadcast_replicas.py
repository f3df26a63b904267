"""Several replicas on one database: claims with an owner and a lease, the sending lease.

A replica that dies mid-send leaves `sending` rows behind; once their lease is over another
engine reports them `uncertain` (never resends them), and a live replica's rows are left
alone. On PostgreSQL one replica at a time holds the sending lease (an advisory lock),
handed over when its holder's connection ends.
"""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

from broadcast_helpers import FakePlatform, add_groups, add_post, add_schedule, make_engine
from sqlalchemy import select, text

from bot.broadcast import deliveries
from bot.broadcast.lease import AdvisoryLease, SoleSender, lease_for
from bot.broadcast.models import PENDING, SENDING, SENT, UNCERTAIN, Delivery
from bot.clock import utcnow
from bot.store import open_store


def states(store) -> dict[int, tuple[str, str]]:
    with store.session() as session:
        return {d.id: (d.status, d.owner) for d in session.scalars(select(Delivery))}


def due_deliveries(store, clock, count: int) -> list[int]:
    add_groups(store, count)
    add_schedule(store, add_post(store), None, clock.now)
    make_engine(store, FakePlatform(), clock).materialise()
    return [job.id for job in deliveries.pending(store)]


def test_a_dead_replicas_claims_are_taken_once_their_lease_is_over(store, clock):
    dead, alive, mine = due_deliveries(store, clock, 3)
    lease = timedelta(seconds=10)
    assert deliveries.claim(store, dead, "replica-a", clock.now + lease)
    assert deliveries.claim(store, alive, "replica-b", clock.now + 6 * lease)
    assert deliveries.claim(store, mine, "replica-c", clock.now + lease)
    assert not deliveries.claim(store, dead, "replica-c", clock.now + lease)  # taken

    assert deliveries.recover(store, clock.now + lease / 2, spare="replica-c") == 0
    assert deliveries.recover(store, clock.now + 2 * lease, spare="replica-c") == 1
    assert states(store) == {
        dead: (UNCERTAIN, "replica-a"),  # may have been sent: reported, never resent
        alive: (SENDING, "replica-b"),  # its lease still holds
        mine: (SENDING, "replica-c"),  # the caller's own send in flight
    }


def test_an_owner_that_stalled_past_its_lease_does_not_overwrite_the_report(store, clock):
    (stalled,) = due_deliveries(store, clock, 1)
    assert deliveries.claim(store, stalled, "replica-a", clock.now + timedelta(seconds=1))
    assert deliveries.recover(store, clock.now + timedelta(seconds=5), spare="replica-b") == 1
    assert not deliveries.record(store, stalled, SENT, owner="replica-a", message_id="7")
    assert states(store) == {stalled: (UNCERTAIN, "replica-a")}


def test_only_the_owner_records_its_claim(store, clock):
    (one,) = due_deliveries(store, clock, 1)
    assert deliveries.claim(store, one, "replica-a", clock.now + timedelta(seconds=10))
    assert not deliveries.record(store, one, SENT, owner="replica-b")
    assert deliveries.record(store, one, SENT, owner="replica-a", message_id="9")
    assert states(store) == {one: (SENT, "replica-a")}


class HeldPlatform(FakePlatform):
    """A send that waits until the test lets it go (a slow request in flight)."""

    def __init__(self) -> None:
        super().__init__()
        self.entered = asyncio.Event()
        self.go = asyncio.Event()

    async def send(self, chat_id, message, reply_to=None):
        self.entered.set()
        await self.go.wait()
        return await super().send(chat_id, message, reply_to)


def lease_of(store, delivery_id):
    with store.session() as session:
        return session.get(Delivery, delivery_id).lease_until


async def wait_until(predicate, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "state not reached in time"
        await asyncio.sleep(0.05)


async def test_a_send_in_flight_keeps_renewing_its_lease(store):
    add_groups(store, 1)
    add_schedule(store, add_post(store), None, utcnow())
    platform = HeldPlatform()
    engine = make_engine(store, platform, utcnow, lease_seconds=1.0, tick_seconds=0.05)
    await engine.start()
    try:
        await asyncio.wait_for(platform.entered.wait(), 20)
        ((delivery_id, (status, owner)),) = states(store).items()
        assert (status, owner) == (SENDING, engine.owner)
        first = lease_of(store, delivery_id)
        await wait_until(lambda: lease_of(store, delivery_id) > first)  # renewed, in flight
        # another replica looking now finds a live lease, however long the send has taken
        assert deliveries.recover(store, utcnow(), spare="another") == 0
        platform.go.set()
        await wait_until(lambda: states(store)[delivery_id][0] == SENT)
        assert lease_of(store, delivery_id) is None
    finally:
        await engine.stop()


def test_the_lease_fits_the_database(store):
    lease = lease_for(store.engine)
    assert isinstance(lease, AdvisoryLease if store.engine.dialect.name != "sqlite" else SoleSender)


def test_the_sending_lease_is_handed_over_when_its_holders_connection_ends(postgres_cluster):
    url = postgres_cluster.database()
    one, two = open_store(url), open_store(url)
    try:
        first, second = AdvisoryLease(one.engine), AdvisoryLease(two.engine)
        assert first.hold() and first.hold()  # taken, then kept
        assert not second.hold()
        with one.engine.connect() as conn:  # the holder dies: the server ends its session
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_locks "
                    "WHERE locktype = 'advisory' AND granted"
                )
            )
        deadline = time.monotonic() + 20
        while not second.hold():
            assert time.monotonic() < deadline, "the lease was not handed over"
            time.sleep(0.05)
        assert not first.hold()  # its holder finds it lost, and now held by the other
        second.release()
        assert first.hold()
        first.release()
    finally:
        one.close()
        two.close()
        postgres_cluster.drop(url)


def test_recover_without_a_time_takes_every_sending_row(store, clock):
    """One process on its own database (SQLite), starting: no `sending` row can be alive."""
    one, two = due_deliveries(store, clock, 2)
    deliveries.claim(store, one, "earlier-run", clock.now + timedelta(hours=1))
    assert deliveries.recover(store) == 1
    assert states(store)[one][0] == UNCERTAIN
    assert states(store)[two][0] == PENDING
