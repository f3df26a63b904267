"""Two replicas of the assistant on one database: a member's next update may reach either.

Each replica is the composition root's Services with its own data directory (its own salt
file, as on another machine) over one database; they share one platform (one Telegram).
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.assistant.records import shared_salt
from bot.assistant.stored_limits import StoredRateLimiter
from bot.chat import ButtonPress, IncomingMessage
from bot.store import Feedback, open_store
from testkit.fake_platform import FakePlatform

QUESTION = "Ngày truyền thống Công an nhân dân là ngày nào?"


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


async def test_two_replicas_count_one_bucket_per_member(database_url):
    one, two = open_store(database_url), open_store(database_url)
    try:
        clock = Clock()
        a = StoredRateLimiter(one, burst=2, per_minute=6, clock=clock)
        b = StoredRateLimiter(two, burst=2, per_minute=6, clock=clock)
        assert (await a.check("telegram:7")).allowed
        assert (await b.check("telegram:7")).allowed  # the member's second, on the other
        refused = await a.check("telegram:7")
        assert not refused.allowed and refused.warn and refused.retry_after == pytest.approx(10)
        again = await b.check("telegram:7")
        assert not again.allowed and not again.warn  # warned once, whichever replica
        assert (await b.check("telegram:8")).allowed  # another member: their own bucket
        clock.now += timedelta(seconds=10)
        assert (await b.check("telegram:7")).allowed  # refilled
    finally:
        one.close()
        two.close()


def test_replicas_share_the_first_salt_stored(database_url):
    one, two = open_store(database_url), open_store(database_url)
    try:
        assert shared_salt(one, b"\x01" * 32) == b"\x01" * 32
        assert shared_salt(two, b"\x02" * 32) == b"\x01" * 32  # its own file's is not used
    finally:
        one.close()
        two.close()


@pytest.fixture
def replicas(bot_settings, kb, services_for, database_url, tmp_path):
    """Two Services on one database, each with its own data directory."""
    made = []
    for name in ("a", "b"):
        settings = bot_settings.model_copy(
            update={
                "database_url": database_url,
                "db_auto_migrate": True,
                "data_dir": tmp_path / f"data-{name}",
            }
        )
        made.append(services_for(settings, kb))
    return made


def say(services, platform, text, user="2002"):
    ids = itertools.count(100)

    async def send():
        msg = IncomingMessage(
            platform="telegram",
            chat_id=user,
            chat_type="private",
            user_id=user,
            text=text,
            message_id=str(next(ids)),
        )
        await services.assistant.handle_message(msg, platform)

    return send()


async def test_paging_and_votes_work_whichever_replica_gets_the_press(replicas):
    a, b = replicas
    platform = FakePlatform("telegram")
    await say(a, platform, QUESTION)
    sent = platform.sent[0]
    (more,), (up, _) = sent.message.buttons
    await b.assistant.handle_press(
        ButtonPress("telegram", "2002", "2002", sent.message_id, more.data, "p1"), platform
    )
    assert platform.presses == [("p1", "")]  # honoured: the buttons' key is shared
    assert len(sent.edits) == 1 and sent.edits[0].text != sent.message.text  # page 2
    for replica, press_id in ((a, "p2"), (b, "p3")):  # one member votes on each replica
        press = ButtonPress("telegram", "2002", "2002", sent.message_id, up.data, press_id)
        await replica.assistant.handle_press(press, platform)
    with a.store.session() as session:
        assert session.scalar(select(func.count(Feedback.id))) == 1  # one vote per member


@pytest.fixture
def shared_database_url(postgres_cluster):
    url = postgres_cluster.database()
    yield url
    postgres_cluster.drop(url)


async def test_the_question_limit_holds_across_replicas_on_postgresql(
    bot_settings, kb, services_for, shared_database_url, tmp_path
):
    a, b = (
        services_for(
            bot_settings.model_copy(
                update={
                    "database_url": shared_database_url,
                    "db_auto_migrate": True,
                    "data_dir": tmp_path / name,
                    "question_burst": 2,
                    "questions_per_minute": 0.5,
                }
            ),
            kb,
        )
        for name in ("a", "b")
    )
    platform = FakePlatform("telegram")
    await say(a, platform, QUESTION)
    await say(b, platform, QUESTION)
    await say(a, platform, QUESTION)  # the third within the burst of 2: refused, warned
    await say(b, platform, QUESTION)  # and not warned twice
    texts = platform.texts("2002")
    assert len(texts) == 3
    assert texts[0] == texts[1] != texts[2]  # two answers, then the one slow-down notice
