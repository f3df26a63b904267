"""The engine over real HTTP: python-telegram-bot against the Bot API stub, a SQLite file."""

from __future__ import annotations

import asyncio
import time

import pytest
from broadcast_helpers import ADMIN, add_groups, add_post, add_schedule, make_engine
from sqlalchemy import select

from bot.broadcast import approval
from bot.broadcast.limits import Limits
from bot.broadcast.models import FAILED, PENDING, SENDING, SENT, UNCERTAIN, Delivery
from bot.broadcast.posts import PostContent
from bot.broadcast.runner import make_bot
from bot.chat import Button
from bot.platforms.telegram import TelegramPlatform
from bot.store import Chat
from testkit.botapi_stub import largest_burst


@pytest.fixture
async def telegram(stub):
    bot = make_bot(stub.token, stub.base_url, read_timeout=1.0)
    await bot.initialize()
    yield TelegramPlatform(bot)
    await bot.shutdown()


def groups_in_stub(stub, store, count: int) -> list[str]:
    groups = add_groups(store, count)
    for chat_id in groups:
        stub.add_chat(int(chat_id), "supergroup")
    return groups


def statuses(store) -> dict[str, Delivery]:
    with store.session() as session:
        return {d.chat_id: d for d in session.scalars(select(Delivery))}


async def test_403_400_timeout_and_429_each_end_where_they_should(stub, telegram, store, clock):
    kicked, bad, slow, flooded, fine = groups_in_stub(stub, store, 5)
    stub.block_chat(int(kicked))
    stub.fail_next("sendMessage", int(bad), 400, "Bad Request: can't parse entities")
    stub.timeout_after_accept("sendMessage", int(slow), hang_seconds=3)
    stub.fail_next("sendMessage", int(flooded), 429, retry_after=1)
    add_schedule(store, add_post(store), None, clock.now)
    engine = make_engine(store, telegram, clock)

    started = time.monotonic()
    await engine.tick()

    got = statuses(store)
    assert got[kicked].status == FAILED and "kicked" in got[kicked].reason
    assert got[bad].status == FAILED and "parse entities" in got[bad].reason
    assert got[slow].status == UNCERTAIN  # the stub did deliver it: never sent again
    assert got[flooded].status == SENT and got[fine].status == SENT
    assert time.monotonic() - started >= 1.0  # retry_after was honoured
    delivered = [m["chat"]["id"] for m in stub.sent_messages()]
    assert sorted(delivered) == sorted(int(c) for c in (slow, flooded, fine))
    assert got[fine].message_id == str(stub.sent_messages(int(fine))[0]["message_id"])
    with store.session() as session:
        assert not session.scalar(select(Chat.active).where(Chat.chat_id == kicked))


async def test_silent_pinned_post_with_buttons_as_groups_see_it(stub, telegram, store, clock):
    (group,) = groups_in_stub(stub, store, 1)
    stub.set_chat_member_status(int(group), stub.bot_id, "administrator")  # needed to pin
    with store.session() as session:
        content = PostContent(
            "<b>Kỷ niệm</b> ngày thành lập &amp; <i>lời chúc</i>",
            buttons=((Button("Đọc toàn văn", url="https://dangcongsan.vn/a"),),),
        )
        post = approval.compose(session, content, ADMIN, approval_required=False)
        post_id = post.id
    add_schedule(store, post_id, None, clock.now, silent=True, pin=True)
    await make_engine(store, telegram, clock).tick()

    (call,) = stub.calls_to("sendMessage")
    assert call.params["disable_notification"] is True
    (message,) = stub.sent_messages(int(group))
    assert message["text"] == "Kỷ niệm ngày thành lập & lời chúc"
    assert {e["type"] for e in message["entities"]} == {"bold", "italic"}
    button = message["reply_markup"]["inline_keyboard"][0][0]
    assert button == {"text": "Đọc toàn văn", "url": "https://dangcongsan.vn/a"}
    (pin,) = stub.calls_to("pinChatMessage")
    assert pin.ok and pin.params["message_id"] == message["message_id"]
    assert statuses(store)[group].pinned


async def test_sixty_groups_at_full_rate_without_a_429(stub, telegram, store, clock):
    stub.enforce_limits(global_per_sec=30, per_group_per_min=20)
    groups = groups_in_stub(stub, store, 60)
    add_schedule(store, add_post(store), None, clock.now)
    engine = make_engine(store, telegram, clock, limits=Limits())

    started = time.monotonic()
    await engine.tick()
    elapsed = time.monotonic() - started

    assert stub.count_429 == 0
    assert sorted(m["chat"]["id"] for m in stub.sent_messages()) == sorted(map(int, groups))
    # 60 at 30/s: the second window cannot open before ~1 s, and no second holds more than 30
    # (how soon after it opens is the machine's, measured in bench/, not asserted here)
    assert elapsed >= 0.95
    assert largest_burst([c.ts for c in stub.calls_to("sendMessage") if c.ok]) <= 30


@pytest.fixture
async def patient_telegram(stub):
    """As `telegram`, with a read timeout a loaded machine cannot reach: a send that times out
    is `uncertain` by design, and this test is about the window, not about timeouts."""
    bot = make_bot(stub.token, stub.base_url, read_timeout=10.0)
    await bot.initialize()
    yield TelegramPlatform(bot)
    await bot.shutdown()


async def test_at_real_latency_sends_overlap_and_no_window_holds_more_than_30(
    stub, patient_telegram, store, clock
):
    telegram = patient_telegram
    stub.enforce_limits(global_per_sec=30, per_group_per_min=20)
    stub.network(0.15, 0.05, seed=7)  # as from Vietnam: a round trip of 100-200 ms
    groups = groups_in_stub(stub, store, 75)
    add_schedule(store, add_post(store), None, clock.now)
    engine = make_engine(store, telegram, clock, limits=Limits())

    # one tick sends what is ready; on a busy machine a send can be held back to keep the
    # window (the limiter skips it for now): tick until every delivery is settled
    deadline = time.monotonic() + 60
    await engine.tick()
    while {d.status for d in statuses(store).values()} & {PENDING, SENDING}:
        assert time.monotonic() < deadline
        await asyncio.sleep(0.1)
        await engine.tick()

    sends = [c for c in stub.calls_to("sendMessage") if c.ok]
    assert stub.count_429 == 0, [c.result for c in stub.calls_to("sendMessage") if not c.ok]
    assert sorted(c.result["chat"]["id"] for c in sends) == sorted(map(int, groups)), {
        d.status: d.reason for d in statuses(store).values() if d.status != SENT
    }
    assert largest_burst([c.ts for c in sends]) <= 30
    assert {d.status for d in statuses(store).values()} == {SENT}
