"""What the members' question limit costs per question: in memory, on SQLite, on PostgreSQL.

    python bench/bench_question_limit.py [--checks 2000] [--members 200]

The in-memory adapter (one process, the default) against the stored one
(bot/assistant/stored_limits.py) on a SQLite file and on a throwaway PostgreSQL 15 cluster
(testkit/postgres.py): the composition root keeps memory for SQLite because it is cheaper.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import bot.app  # noqa: E402,F401  (every table)
from bot.assistant.ratelimit import InProcess, RateLimiter  # noqa: E402
from bot.assistant.stored_limits import StoredRateLimiter  # noqa: E402
from bot.store import open_store  # noqa: E402
from testkit.postgres import PostgresCluster  # noqa: E402


async def per_check(limiter, checks: int, members: int) -> tuple[float, float]:
    """Median and p95 microseconds of one check, members taking turns."""
    took = []
    for i in range(checks):
        started = time.perf_counter()
        await limiter.check(f"telegram:{i % members}")
        took.append((time.perf_counter() - started) * 1e6)
    took.sort()
    return statistics.median(took), took[int(0.95 * (len(took) - 1))]


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--checks", type=int, default=2000)
    parser.add_argument("--members", type=int, default=200)
    args = parser.parse_args()
    burst, rate = 1_000_000, 1_000_000.0  # never refuses: the cost of the common case
    rows = [
        ("memory", await per_check(InProcess(RateLimiter(burst, rate)), args.checks, args.members))
    ]
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{Path(tmp) / 'bot.sqlite3'}")
        limiter = StoredRateLimiter(store, burst, rate)
        rows.append(("SQLite file", await per_check(limiter, args.checks, args.members)))
        store.close()
    cluster = PostgresCluster().start()
    try:
        store = open_store(cluster.database())
        limiter = StoredRateLimiter(store, burst, rate)
        rows.append(("PostgreSQL 15", await per_check(limiter, args.checks, args.members)))
        store.close()
    finally:
        cluster.stop()
    for name, (p50, p95) in rows:
        print(f"{name}: p50 {p50:.0f} µs, p95 {p95:.0f} µs per question")


if __name__ == "__main__":
    asyncio.run(main())
