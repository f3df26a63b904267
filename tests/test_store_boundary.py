"""One database boundary: a locked database makes a command wait, never the event loop."""

from __future__ import annotations

import asyncio
import sqlite3
import time

import httpx
import pytest

from bot.chat import IncomingMessage
from testkit.fake_platform import FakePlatform

ADMIN = "1001"


@pytest.fixture
def served_settings(settings):
    return settings.model_copy(update={"admin_ids": [int(ADMIN)], "http_port": 0})


async def test_a_locked_database_stalls_the_command_not_the_health_check(
    served_settings, hash_kb, start_bot
):
    running = await start_bot(served_settings, hash_kb)
    services, platform = running.services, FakePlatform("telegram")
    services.platforms["telegram"] = platform
    database = served_settings.resolved_database_url.removeprefix("sqlite:///")
    async with httpx.AsyncClient() as client:
        other = sqlite3.connect(database, isolation_level=None)  # another writer…
        other.execute("BEGIN IMMEDIATE")  # …holding SQLite's write lock
        try:
            soan = IncomingMessage(
                platform="telegram",
                chat_id=ADMIN,
                chat_type="private",
                user_id=ADMIN,
                text="/soan <b>Tin sáng</b>",
                message_id="1",
                command="soan",
                args="<b>Tin sáng</b>",
            )
            started = time.monotonic()
            handling = asyncio.create_task(services.assistant.handle_message(soan, platform))
            health = await client.get(running.url + "/healthz", timeout=30.0)
            elapsed = time.monotonic() - started
            print(f"/healthz answered in {elapsed:.3f} s while /soan waited for the lock")
            assert health.status_code == 200 and elapsed < 1.0
            assert not handling.done()  # the command is still waiting for the lock
        finally:
            other.execute("ROLLBACK")
            other.close()
        await asyncio.wait_for(handling, timeout=15)
    texts = [sent.text for sent in platform.sent]
    assert texts[0] == "<b>Tin sáng</b>" and "Bài số 1" in texts[1]  # the preview, its card
    assert texts[-1].startswith("Đã gửi bài 1 cho người duyệt")


async def test_a_locked_database_stalls_the_delivery_engine_not_the_health_check(
    served_settings, hash_kb, start_bot
):
    from datetime import timedelta

    from bot.broadcast import approval, schedules
    from bot.broadcast.approval import Actor
    from bot.broadcast.posts import PostContent
    from bot.broadcast.recurrence import Recurrence
    from bot.commands import Role
    from bot.store import Chat

    running = await start_bot(served_settings, hash_kb)
    services, platform = running.services, FakePlatform("telegram")
    services.platforms["telegram"] = platform
    now = services.engine.clock().replace(second=0, microsecond=0)
    services.engine.clock = lambda: now  # the engine's time stands still until we move it
    admin = Actor("telegram", ADMIN, Role.ADMIN)
    with services.store.session() as session:
        session.add(Chat(platform="telegram", chat_id="-100", title="Chi bộ 1"))
        session.flush()
        post = approval.compose(session, PostContent("<b>Tin</b>"), admin, False)
        due = Recurrence.once(now + timedelta(hours=1))
        schedules.create(session, post, due, schedules.Targets(), admin, now)
    database = served_settings.resolved_database_url.removeprefix("sqlite:///")
    async with httpx.AsyncClient() as client:
        other = sqlite3.connect(database, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another writer holds the lock…
        try:
            later = now + timedelta(hours=1, minutes=1)  # due, within the grace period
            services.engine.clock = lambda: later  # …when the post falls due
            started = time.monotonic()
            services.engine.wake()
            health = await client.get(running.url + "/healthz", timeout=30.0)
            elapsed = time.monotonic() - started
            print(f"/healthz answered in {elapsed:.3f} s while the engine waited for the lock")
            assert health.status_code == 200 and elapsed < 1.0
            assert platform.sent == []  # the occurrence is not even written yet
        finally:
            other.execute("ROLLBACK")
            other.close()
        await platform.wait_for(lambda: platform.sent, timeout=20)
    assert platform.sent[0].chat_id == "-100" and platform.sent[0].text == "<b>Tin</b>"
