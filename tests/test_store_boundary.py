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
