"""Upgrade a database at the first revision (the schema `create_all` made before migrations)
with 10,000 questions and 1,000 deliveries to the head, on SQLite and on a throwaway
PostgreSQL cluster: time and rows kept.

    python bench/bench_db_upgrade.py [--questions 10000] [--deliveries 1000]

Issue 11's figure: ≤ 30 s, zero rows lost. The rows are written through the first
revision's frozen tables (testkit/rows.py `as_stored_by`), so every later revision —
0002 adds the deliveries' owner and lease columns, a table copy on SQLite — is timed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, insert, select  # noqa: E402

import bot.app  # noqa: E402,F401  (every table)
from bot import migrations  # noqa: E402
from bot.broadcast.models import Delivery, Occurrence, Post, Schedule  # noqa: E402
from bot.store import Chat, Question, make_engine, open_store  # noqa: E402
from testkit.postgres import PostgresCluster  # noqa: E402
from testkit.rows import as_stored_by  # noqa: E402

AT = datetime(2026, 12, 1, tzinfo=UTC)


def fill(url: str, questions: int, deliveries: int) -> dict[str, int]:
    engine = make_engine(url)
    migrations.upgrade(engine, migrations.FIRST)  # the schema as it was before migrations
    first = migrations.first_schema()

    def put(conn, model, rows: list[dict]):
        table = first.tables[model.__tablename__]
        return conn.execute(insert(table), as_stored_by(table, model.__table__, rows))

    with engine.begin() as conn:
        put(conn, Question, [
            {"text": f"Câu hỏi số {i}", "answered": i % 3 > 0, "asked_at": AT}
            for i in range(questions)
        ])  # fmt: skip
        put(conn, Chat, [
            {"chat_id": str(-1001000000000 - i), "title": f"Chi bộ {i}"}
            for i in range(deliveries)
        ])  # fmt: skip
        put(conn, Post, [{"id": 1, "text": "<b>Tin</b>"}])
        put(conn, Schedule, [{"id": 1, "post_id": 1, "recurrence": "now", "cursor": AT}])
        put(conn, Occurrence, [
            {"id": 1, "schedule_id": 1, "post_id": 1, "post_version": 1, "due_at": AT,
             "created_at": AT}
        ])  # fmt: skip
        chats = conn.execute(select(first.tables["chats"].c.id, first.tables["chats"].c.chat_id))
        put(conn, Delivery, [
            {"occurrence_id": 1, "chat_ref": ref, "platform": "telegram",
             "chat_id": chat_id, "status": "sent"}
            for ref, chat_id in chats.all()
        ])  # fmt: skip
    counted = count(engine)
    engine.dispose()
    return counted


def count(engine) -> dict[str, int]:
    """Rows in each table the first revision made (tables added later start empty)."""
    with engine.connect() as conn:
        return {
            t.name: conn.scalar(select(func.count()).select_from(t))
            for t in migrations.first_schema().sorted_tables
        }


def measure(name: str, url: str, questions: int, deliveries: int) -> None:
    before = fill(url, questions, deliveries)
    started = time.perf_counter()
    store = open_store(url)  # what the bot does at start with BOT_DB_AUTO_MIGRATE on
    seconds = time.perf_counter() - started
    after, revision = count(store.engine), migrations.current(store.engine)
    store.close()
    lost = sum(before[t] - after.get(t, 0) for t in before)
    print(f"{name}: upgraded to {revision} in {seconds:.2f} s; rows before {sum(before.values())}"
          f", after {sum(after.values())}, lost {lost}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--deliveries", type=int, default=1_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bot.sqlite3'}"
        measure("SQLite", url, args.questions, args.deliveries)
    cluster = PostgresCluster().start()
    try:
        measure("PostgreSQL", cluster.database(), args.questions, args.deliveries)
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
