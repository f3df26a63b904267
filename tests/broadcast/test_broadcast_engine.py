"""The delivery engine's state machine, with a fake platform and a settable clock."""

from __future__ import annotations

import asyncio
import datetime as dt
import time

from broadcast_helpers import ADMIN, FAST, MOD, add_groups, add_post, add_schedule, make_engine
from sqlalchemy import select

from bot.broadcast import approval, schedules
from bot.broadcast.limits import FloodLimiter
from bot.broadcast.models import (
    CANCELLED,
    DONE,
    FAILED,
    MISSED,
    PENDING,
    SENDING,
    SENT,
    SKIPPED,
    UNCERTAIN,
    Delivery,
    Occurrence,
    Post,
)
from bot.broadcast.posts import PostContent
from bot.broadcast.recurrence import Recurrence
from bot.broadcast.schedules import Targets
from bot.errors import ChatGone, Rejected, RetryLater, Uncertain, Unreachable
from bot.store import Chat


def deliveries(store) -> dict[str, Delivery]:
    with store.session() as session:
        return {d.chat_id: d for d in session.scalars(select(Delivery))}


def occurrences(store) -> list[Occurrence]:
    with store.session() as session:
        return list(session.scalars(select(Occurrence).order_by(Occurrence.due_at)))


async def test_send_now_reaches_every_active_group_once(store, fake, clock):
    groups = add_groups(store, 5)
    add_groups(store, 1, first=-1009, active=False)
    add_groups(store, 1, first=42, chat_type="private")
    add_schedule(store, add_post(store), None, clock.now)
    engine = make_engine(store, fake, clock)
    assert await engine.tick() == 5
    assert sorted(fake.chats()) == sorted(groups)
    assert await engine.tick() == 0  # nothing twice
    assert {d.status for d in deliveries(store).values()} == {SENT}
    assert occurrences(store)[0].status == DONE


async def test_unapproved_post_is_never_delivered(store, fake, clock):
    add_groups(store, 3)
    post_id = add_post(store, approved=False)
    add_schedule(store, post_id, None, clock.now)
    engine = make_engine(store, fake, clock)
    await engine.tick()
    assert fake.sent == []
    (occ,) = occurrences(store)
    assert occ.status == SKIPPED and "chưa được duyệt" in occ.note


async def test_edit_mid_broadcast_cancels_the_rest(store, fake, clock):
    groups = add_groups(store, 4)
    post_id = add_post(store)
    add_schedule(store, post_id, None, clock.now)
    engine = make_engine(store, fake, clock, max_in_flight=1)  # one claimed at a time

    def edit_after_first(chat_id: str) -> None:
        if len(fake.sent) == 1:
            with store.session() as session:
                post = session.get(Post, post_id)
                approval.edit(session, post, PostContent("bản sửa"), MOD, True)

    fake.on_send = edit_after_first
    await engine.tick()
    assert len(fake.sent) == 2  # the one in flight when the edit came still went
    states = [deliveries(store)[g].status for g in groups]
    assert states == [SENT, SENT, CANCELLED, CANCELLED]


async def test_outcomes_of_each_platform_error(store, fake, clock):
    a, b, c, d, e, f = add_groups(store, 6)
    fake.script = {
        a: [ChatGone("Forbidden: bot was kicked")],
        b: [Rejected("Bad Request: can't parse entities")],
        c: [Uncertain("timed out")],
        d: [RetryLater(0.05)],
        e: [Unreachable("connect refused"), Unreachable("connect refused")],
        f: [Unreachable("down")] * 10,
    }
    add_schedule(store, add_post(store), None, clock.now)
    engine = make_engine(store, fake, clock, max_attempts=3)
    await engine.tick()
    got = deliveries(store)
    assert got[a].status == FAILED and "kicked" in got[a].reason
    assert got[b].status == FAILED and "parse" in got[b].reason
    assert got[c].status == UNCERTAIN
    assert got[d].status == SENT and got[d].attempts == 1  # a RetryAfter is not an attempt
    assert got[e].status == SENT and got[e].attempts == 3
    assert got[f].status == FAILED and got[f].attempts == 3
    assert sorted(fake.chats()) == sorted([d, e])
    with store.session() as session:
        chat = session.scalar(select(Chat).where(Chat.chat_id == a))
        assert not chat.active and "kicked" in chat.inactive_reason
    assert occurrences(store)[0].status == DONE


async def test_a_crash_mid_send_is_uncertain_and_never_resent(store, fake, clock):
    groups = add_groups(store, 3)
    add_schedule(store, add_post(store), None, clock.now)
    engine = make_engine(store, fake, clock)
    engine.materialise()
    with store.session() as session:  # what a process killed inside platform.send leaves
        first = session.scalar(select(Delivery).where(Delivery.chat_id == groups[0]))
        first.status = SENDING
    restarted = make_engine(store, fake, clock)
    assert restarted.recover() == 1
    await restarted.tick()
    assert sorted(fake.chats()) == sorted(groups[1:])
    assert deliveries(store)[groups[0]].status == UNCERTAIN


async def test_recurring_schedule_across_a_restart(store, fake, clock):
    (group,) = add_groups(store, 1)
    daily = Recurrence.daily(dt.time(8, 0))
    add_schedule(store, add_post(store), daily, clock.now)  # T0 is 08:00 local: next is tomorrow
    engine = make_engine(store, fake, clock)
    await engine.tick()
    assert fake.sent == []
    clock.advance(days=1, seconds=1)
    await engine.tick()
    assert len(fake.sent) == 1
    # The bot is down across the next two due times: one within the grace period, one not.
    clock.advance(days=2, minutes=10)
    restarted = make_engine(store, fake, clock, grace=dt.timedelta(minutes=30))
    restarted.recover()
    await restarted.tick()
    assert len(fake.sent) == 2
    states = [o.status for o in occurrences(store)]
    assert states == [DONE, MISSED, DONE]
    assert "lỡ giờ" in occurrences(store)[1].note
    await restarted.tick()
    assert len(fake.sent) == 2


async def test_due_times_during_a_pause_are_recorded_not_sent(store, fake, clock):
    add_groups(store, 1)
    schedule_id = add_schedule(store, add_post(store), Recurrence.daily(dt.time(8, 0)), clock.now)
    engine = make_engine(store, fake, clock)
    await engine.tick()
    with store.session() as session:
        schedules.change(session, schedule_id, "pause", clock.now)
    clock.advance(days=3, seconds=1)
    await engine.tick()
    assert fake.sent == []
    with store.session() as session:
        schedules.change(session, schedule_id, "resume", clock.now)
    await engine.tick()
    assert fake.sent == []  # pausing meant "not then": nothing is sent late
    paused = occurrences(store)
    assert [o.status for o in paused] == [SKIPPED] * 3
    assert all("tạm dừng" in o.note for o in paused)
    clock.advance(days=1)
    await engine.tick()
    assert len(fake.sent) == 1  # the schedule runs again after the resume


async def test_tags_silent_and_pin(store, fake, clock):
    add_groups(store, 2, tags="phuong1")
    other = add_groups(store, 1, first=-1002000000001, tags="phuong2")
    targets = Targets("tags", ("phuong2",))
    add_schedule(store, add_post(store), None, clock.now, targets=targets, silent=True, pin=True)
    await make_engine(store, fake, clock).tick()
    assert fake.chats() == other
    assert fake.sent[0][1].silent
    assert fake.pins == [(other[0], "1")]
    assert deliveries(store)[other[0]].pinned


async def test_rejected_post_cannot_be_approved_by_its_moderator_author(store):
    post_id = add_post(store, approved=False)
    with store.session() as session:
        post = session.get(Post, post_id)
        try:
            approval.decide(session, post_id, post.version, MOD, approve=True)
        except approval.BroadcastError as exc:
            assert "quyền" in str(exc)
        approval.decide(session, post_id, post.version, ADMIN, approve=False, note="sai số liệu")
        assert post.status == "rejected"


async def test_several_sends_in_flight_each_claimed_first(store, fake, clock):
    import asyncio

    groups = add_groups(store, 12)
    add_schedule(store, add_post(store), None, clock.now)
    engine = make_engine(store, fake, clock, max_in_flight=4)
    flying, most, seen = 0, 0, []
    real_send = fake.send

    async def slow_send(chat_id, message, reply_to=None):
        nonlocal flying, most
        seen.append(deliveries(store)[chat_id].status)  # committed before the request
        flying += 1
        most = max(most, flying)
        await asyncio.sleep(0.05)
        flying -= 1
        return await real_send(chat_id, message, reply_to)

    fake.send = slow_send
    assert await engine.tick() == 12
    assert 2 <= most <= 4
    assert set(seen) == {SENDING}
    assert sorted(fake.chats()) == sorted(groups)
    assert {d.status for d in deliveries(store).values()} == {SENT}


async def test_a_429_holds_its_chat_while_the_others_go_on(store, fake, clock):
    flooded, *others = add_groups(store, 6)
    fake.script[flooded] = [RetryLater(0.3, "Too Many Requests: retry after 1")]
    add_schedule(store, add_post(store), None, clock.now)
    holds: list[tuple[str, float]] = []

    class Limiter(FloodLimiter):
        # The 429's hold stands until the others are through, however slow the machine (a
        # loaded one took longer than the 0.3 s hold to send five): what is tested is that
        # they go on meanwhile. Were they queued behind the held chat, the tick would hang.
        def hold(self, chat: str, seconds: float) -> None:
            holds.append((chat, seconds))
            super().hold(chat, seconds)

        def chat_wait(self, chat: str, is_group: bool) -> float:
            if holds and chat == holds[0][0] and not set(others) <= set(fake.chats()):
                return 0.05
            return super().chat_wait(chat, is_group)

    engine = make_engine(store, fake, clock)
    engine.limiter = Limiter(FAST)
    async with asyncio.timeout(30):
        await engine.tick()
    assert [seconds for _, seconds in holds] == [0.3]  # the platform's retry_after, held
    assert fake.chats()[-1] == flooded  # sent again once its hold was over, last
    assert sorted(fake.chats()[:-1]) == sorted(others)
    got = deliveries(store)[flooded]
    assert got.status == SENT and got.attempts == 1  # a 429 is not a failed attempt


async def test_a_429_that_comes_back_while_the_engine_looks_for_work_is_sent_again(
    store, fake, clock, monkeypatch
):
    """tick() stops only when nothing is pending: a send in flight while the engine asks for
    pending deliveries can be put back to pending (a 429) and finish before the answer comes."""
    import threading

    from bot.broadcast import deliveries as rows

    [flooded] = add_groups(store, 1)
    fake.script[flooded] = [RetryLater(0.01, "429")]
    add_schedule(store, add_post(store), None, clock.now)
    engine = make_engine(store, fake, clock)
    told, looked = threading.Event(), threading.Event()
    fake.on_send = lambda _chat: told.set()
    real_pending, real_record, calls = rows.pending, rows.record, []

    def pending(*args, **kwargs):  # on a store thread
        calls.append(1)
        if len(calls) != 2:  # the second look runs while the first send is in flight
            return real_pending(*args, **kwargs)
        assert told.wait(10)  # the platform answered 429; the row is still `sending`
        found = real_pending(*args, **kwargs)
        looked.set()
        deadline = time.monotonic() + 10
        while engine._flying:  # the send is recorded and its task done before we answer
            assert time.monotonic() < deadline
            time.sleep(0.01)
        return found

    def record(*args, **kwargs):
        if args[2] == PENDING:
            assert looked.wait(10)  # back to pending only after the look saw it `sending`
        return real_record(*args, **kwargs)

    monkeypatch.setattr(rows, "pending", pending)
    monkeypatch.setattr(rows, "record", record)
    async with asyncio.timeout(30):
        await engine.tick()
    assert fake.chats() == [flooded]
    assert deliveries(store)[flooded].status == SENT


async def test_every_try_of_a_delivery_carries_one_key(store, fake, clock):
    from bot.chat import DELIVERY_KEY

    keys: dict[str, list[str | None]] = {}
    fake.on_send = lambda chat: keys.setdefault(chat, []).append(DELIVERY_KEY.get())
    flooded, down, fine = add_groups(store, 3)
    fake.script[flooded] = [RetryLater(0.05, "429")]
    fake.script[down] = [Unreachable("connector down")]
    add_schedule(store, add_post(store), None, clock.now)
    await make_engine(store, fake, clock).tick()
    rows = deliveries(store)
    for chat in (flooded, down, fine):
        assert set(keys[chat]) == {f"broadcast-{rows[chat].id}"}
    assert len(keys[flooded]) == len(keys[down]) == 2 and len(keys[fine]) == 1
    assert DELIVERY_KEY.get() is None  # nothing leaks out of the engine


async def test_authorship_is_platform_and_user_not_user_id_alone(store):
    """Issue 10 (low): Telegram user 5555 could edit Mocha user 5555's post."""
    from bot.broadcast.approval import Actor
    from bot.commands import Role

    mocha_author = Actor("mocha", "5555", Role.MODERATOR, "Tác giả Mocha")
    telegram_namesake = Actor("telegram", "5555", Role.MODERATOR, "Người trùng số")
    with store.session() as session:
        post = approval.compose(
            session, PostContent("<b>Tin</b> của Mocha"), mocha_author, approval_required=True
        )
        post_id = post.id
    with store.session() as session:
        post = session.get(Post, post_id)
        try:
            approval.edit(session, post, PostContent("đã bị sửa"), telegram_namesake, True)
        except approval.BroadcastError as exc:
            assert "Chỉ tác giả" in str(exc)
        else:
            raise AssertionError("a namesake on another platform edited the post")
        assert post.version == 1
        approval.edit(session, post, PostContent("tác giả tự sửa"), mocha_author, True)
        assert post.version == 2
    assert approval.is_author(mocha_author, post)
    assert not approval.is_author(telegram_namesake, post)
