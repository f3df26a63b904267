"""Two delivery processes on one PostgreSQL: SIGKILL the one sending, the other finishes.

Each runner is a real process (python -m bot.broadcast.runner) with the advisory sending
lease; the stub enforces 30/s and 20/min per group. The first runner takes the lease and
sends; the second waits for it. Killed with a request inside the stub, the first leaves a
`sending` row whose lease runs out and which the second reports `uncertain`; every other
group gets the post exactly once, from one or the other.
"""

from __future__ import annotations

import time
from collections import Counter

import pytest
from broadcast_helpers import limited_broadcast, start_runner, unfinished
from sqlalchemy import select

from bot.broadcast.models import SENDING, SENT, UNCERTAIN, Delivery
from bot.store import open_store
from testkit.botapi_stub import BotApiStub, largest_burst, load_calls

GROUPS = 240


def wait_for_sending(url: str, timeout: float = 30.0) -> None:
    """Until a delivery is in flight (claimed, its request not yet answered)."""
    store = open_store(url)
    try:
        deadline = time.monotonic() + timeout
        while True:
            with store.session() as session:
                if session.scalar(select(Delivery.id).where(Delivery.status == SENDING)):
                    return
            assert time.monotonic() < deadline, "no send in flight"
            time.sleep(0.02)
    finally:
        store.close()


@pytest.mark.slow
def test_sigkill_the_sending_replica_and_the_other_finishes(postgres_cluster, tmp_path):
    url = postgres_cluster.database()
    record = tmp_path / "stub-calls.jsonl"
    runners = []
    log = (tmp_path / "runners.log").open("w")
    try:
        with BotApiStub(record_path=record) as stub:
            groups, env = limited_broadcast(stub, url, GROUPS)
            env["BOT_BROADCAST_LEASE_SECONDS"] = "5"
            runners.append(start_runner(env, log))
            stub.wait_for("sendMessage", count=30, timeout=60)  # the first holds the lease
            runners.append(start_runner(env, log))
            stub.wait_for("sendMessage", count=90, timeout=60)
            stub.delay("sendMessage", 1.0)  # die with a request inside the stub
            wait_for_sending(url)
            runners[0].kill()
            runners[0].wait()
            killed_at = time.time()
            stub.delay("sendMessage", 0)
            deadline = time.monotonic() + 90
            while unfinished(url) and time.monotonic() < deadline:
                time.sleep(0.2)
            runners[1].terminate()
            runners[1].wait(timeout=20)
            assert runners[1].returncode == 0, (tmp_path / "runners.log").read_text()[-2000:]
            assert stub.count_429 == 0
            time.sleep(1.2)  # the delayed request of the killed runner lands at the stub
        calls = [c for c in load_calls(record) if c.method == "sendMessage" and c.ok]
        store = open_store(url)
        with store.session() as session:
            final = {d.chat_id: (d.status, d.owner) for d in session.scalars(select(Delivery))}
        store.close()
    finally:
        for runner in runners:
            if runner.poll() is None:
                runner.kill()
                runner.wait()
        log.close()
        postgres_cluster.drop(url)
    delivered = Counter(str(c.result["chat"]["id"]) for c in calls)
    assert [chat for chat, n in delivered.items() if n > 1] == []  # zero duplicates
    assert set(final) == set(groups)
    states = Counter(status for status, _ in final.values())
    assert set(states) <= {SENT, UNCERTAIN}
    assert 1 <= states[UNCERTAIN] <= 16, states  # the sends in flight when it died, at most
    assert [
        chat for chat, (status, _) in final.items() if status == SENT and delivered[chat] != 1
    ] == []
    senders = Counter(owner for status, owner in final.values() if status == SENT)
    assert len(senders) == 2  # the first sent until it died, the second took over
    assert largest_burst([c.ts for c in calls], 1.0) <= 30  # across both replicas
    resumed = min(c.ts for c in calls if c.ts > killed_at)
    assert resumed - killed_at <= 10
