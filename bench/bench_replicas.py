"""Broadcast figures with several replicas on one throwaway PostgreSQL (issue 11).

    python bench/bench_replicas.py [--replicas 3] [--groups 1000] [--kill-after 400]
        [--latency 0.15 --jitter 0.05]

Each replica is its own delivery process (`python -m bot.broadcast.runner`, the engine of
`python -m bot run` with the same sending lease), all on one PostgreSQL 15 cluster made for
the run (testkit/postgres.py), sending through the Bot API stub in its own process (30/s
and 20/min per group enforced, answering --latency ± --jitter late). One "send now" post to
--groups groups. Reported (bench_broadcast.judge/timing): each group exactly once, the
largest 1-second burst the stub saw across all replicas, time against the 33.3 s floor.

--kill-after M: after M messages the replica holding the sending lease (the owner named
on its `sending` rows) is SIGKILLed. Then also: time to resume (the kill to the first
message another replica sent), every group sent once or reported `uncertain`.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench_broadcast import ROOT, StubProcess, judge, send_now, setup, timing, unfinished
from sqlalchemy import select

from bot.broadcast.models import SENDING, Delivery
from bot.store import open_store
from testkit.postgres import PostgresCluster


def start_replicas(count: int, env: dict, log) -> list[subprocess.Popen]:
    argv = [sys.executable, "-m", "bot.broadcast.runner", "--read-timeout", "5"]
    replicas = [
        subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=log, text=True)
        for _ in range(count)
    ]
    for replica in replicas:  # each prints once its engine runs
        assert replica.stdout.readline().strip() == "engine started"
    return replicas


def sender_pid(store) -> int:
    """The process whose engine claimed a delivery in flight: it holds the sending lease."""
    while True:
        with store.session() as session:
            owner = session.scalar(select(Delivery.owner).where(Delivery.status == SENDING))
        if owner:
            return int(owner.rsplit("-", 2)[1])  # engine_name(): host-pid-nonce
        time.sleep(0.01)


def run(workdir: Path, args) -> dict:
    cluster = PostgresCluster().start()
    url = cluster.database()
    store = open_store(url)
    stub = StubProcess(args, workdir / "calls.jsonl")
    env = {
        **os.environ,
        "BOT_DATABASE_URL": url,
        "BOT_TELEGRAM_TOKEN": stub.token,
        "BOT_TELEGRAM_BASE_URL": stub.base_url,
        "PYTHONPATH": str(ROOT),
    }
    log = (workdir / "replicas.log").open("w")
    replicas: list[subprocess.Popen] = []
    try:
        ids = setup(store, stub, args.groups, -1005000000000)
        replicas = start_replicas(args.replicas, env, log)
        send_now(store)
        started = time.monotonic()
        killed_pid = killed_at = None
        if args.kill_after:
            while len(stub.sent_messages()) < args.kill_after:
                time.sleep(0.02)
            killed_pid = sender_pid(store)
            os.kill(killed_pid, 9)
            killed_at = time.time()
        deadline = time.monotonic() + 600
        while (unfinished(store) or not stub.sent_messages()) and time.monotonic() < deadline:
            time.sleep(0.05)
        finished = time.monotonic()
        time.sleep(args.latency + args.jitter + 0.5)  # requests of a killed process land
        calls = stub.calls
        result = {"replicas": args.replicas} | timing(calls, args.groups, started, finished)
        result |= judge(calls, store, ids, stub.injected)
        with store.session() as session:
            owners = {int(d.chat_id): d.owner for d in session.scalars(select(Delivery))}
        result["sent_by_replica"] = sorted(Counter(owners.values()).values(), reverse=True)
        if killed_pid is not None:
            dead = [o for o in set(owners.values()) if f"-{killed_pid}-" in o]
            later = [
                c.ts
                for c in calls
                if c.method == "sendMessage"
                and c.ok
                and c.ts > killed_at
                and owners.get(c.result["chat"]["id"]) not in dead
            ]
            result["killed_after_messages"] = args.kill_after
            result["time_to_resume_s"] = round(min(later) - killed_at, 2) if later else None
    finally:
        for replica in replicas:
            if replica.poll() is None:
                replica.terminate()
                replica.wait(timeout=30)
        log.close()
        stub.stop()
        store.close()
        cluster.stop()
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--replicas", type=int, default=3)
    parser.add_argument("--groups", type=int, default=1000)
    parser.add_argument("--kill-after", type=int, default=0, help="SIGKILL the sender then")
    parser.add_argument("--latency", type=float, default=0.15, help="stub round trip, s")
    parser.add_argument("--jitter", type=float, default=0.05, help="± on the round trip, s")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    args.faults = False  # StubProcess's option; faults are bench_broadcast's business
    print(f"load average at start: {os.getloadavg()}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        print(run(Path(tmp), args), flush=True)
    print(f"load average at end: {os.getloadavg()}", flush=True)


if __name__ == "__main__":
    main()
