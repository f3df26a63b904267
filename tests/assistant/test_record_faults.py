"""Issue 10 item 6: an answer is delivered even when recording the question fails.

Before: with the SQLite file locked by another writer, `record_question` raised after the
answer had been found and the member got an apology instead of it.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time

from sqlalchemy import func, select

from bot.store import Question

QUESTION = "Ngày truyền thống Công an nhân dân là ngày nào?"


def question_count(services) -> int:
    with services.store.session() as s:
        return s.scalar(select(func.count()).select_from(Question)) or 0


def locking_writer(engine):
    """Another writer holding the questions table (rolled back by the caller): the SQLite
    file's write lock, or a PostgreSQL table lock, each from a connection of its own."""
    url = engine.url
    if url.drivername.startswith("sqlite"):
        assert url.database  # the real file
        other = sqlite3.connect(url.database, timeout=1, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        return other
    other = engine.raw_connection()
    other.cursor().execute("LOCK TABLE questions IN ACCESS EXCLUSIVE MODE")
    return other


async def test_answer_delivered_while_another_writer_locks_the_database(
    say, platform, services, assistant
):
    asking = assistant.asking
    asking.record_wait = 0.5  # the member waits this long for the record, not the busy timeout
    other = locking_writer(services.store.engine)
    try:
        started = time.monotonic()
        await say(QUESTION)
        waited = time.monotonic() - started
        [sent] = platform.sent
        assert "Nguồn:" in sent.text and "Xin lỗi" not in sent.text  # the answer, not an apology
        assert sent.message.buttons == ()  # paging and votes need the record's id
        assert waited < 5  # well under the database's 10 s busy timeout
    finally:
        other.rollback()
        other.close()
    await asyncio.wait_for(asking.settle(), 60)  # the record, retried, goes in once unlocked
    assert question_count(services) == 1


async def test_record_that_keeps_failing_is_logged_and_the_answer_still_sent(
    say, platform, services, assistant, caplog, monkeypatch
):
    from bot.assistant import asking as asking_module

    monkeypatch.setattr(asking_module, "RECORD_TRIES", 2)

    def broken(*args, **kwargs):
        raise OSError("disk I/O error")

    monkeypatch.setattr(asking_module.records, "record_question", broken)
    await say(QUESTION)
    await asyncio.wait_for(assistant.asking.settle(), 30)
    [sent] = platform.sent
    assert "Nguồn:" in sent.text
    assert any("not recorded after 2 tries" in r.getMessage() for r in caplog.records)
