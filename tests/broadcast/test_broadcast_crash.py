"""The crash test: SIGKILL the delivery process mid-broadcast, restart it, count what arrived."""

from __future__ import annotations

import time
from collections import Counter

import pytest
from broadcast_helpers import limited_broadcast, start_runner, unfinished
from sqlalchemy import select

from bot.broadcast.engine import EngineOptions
from bot.broadcast.models import SENT, UNCERTAIN, Delivery
from bot.store import open_store
from testkit.botapi_stub import BotApiStub, load_calls

GROUPS = 200


@pytest.mark.slow
def test_sigkill_mid_broadcast_neither_duplicates_nor_loses(tmp_path):
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    record = tmp_path / "stub-calls.jsonl"
    with BotApiStub(record_path=record) as stub:
        groups, env = limited_broadcast(stub, url, GROUPS)
        log = (tmp_path / "runner.log").open("w")
        for kill_at in (10, 80, 150):
            runner = start_runner(env, log)
            stub.wait_for("sendMessage", count=kill_at, timeout=60)
            if kill_at == 80:
                # Die with a request inside the stub: it will be delivered, unconfirmed.
                stub.delay("sendMessage", 1.0)
                time.sleep(0.3)
            runner.kill()
            runner.wait()
            stub.delay("sendMessage", 0)
        runner = start_runner(env, log)
        deadline = time.monotonic() + 60
        while unfinished(url) and time.monotonic() < deadline:
            time.sleep(0.2)
        runner.terminate()
        runner.wait(timeout=20)
        log.close()
        assert runner.returncode == 0, (tmp_path / "runner.log").read_text()[-2000:]
        time.sleep(1.2)  # the delayed request of the second kill lands at the stub

    delivered = Counter(
        str(call.result["chat"]["id"])
        for call in load_calls(record)
        if call.method == "sendMessage" and call.ok
    )
    store = open_store(url)
    with store.session() as session:
        final = {d.chat_id: d for d in session.scalars(select(Delivery))}
    store.close()
    assert set(final) == set(groups)
    twice = [chat for chat, n in delivered.items() if n > 1]
    assert twice == []
    lost = [c for c in groups if delivered[c] == 0 and final[c].status != UNCERTAIN]
    assert lost == []
    states = Counter(d.status for d in final.values())
    assert set(states) <= {SENT, UNCERTAIN}
    assert states[UNCERTAIN] >= 1  # the kill with a request in flight
    # at most the sends in flight per kill
    assert states[UNCERTAIN] <= 3 * EngineOptions().max_in_flight
    for chat_id, delivery in final.items():
        if delivery.status == SENT:
            assert delivered[chat_id] == 1
