"""Broadcast figures: 1,000 groups through the Bot API stub with Telegram's limits, punctuality.

    python bench/bench_broadcast.py [--groups 1000] [--occurrences 100]

1. Throughput: one "send now" post to N groups, the real engine loop (start/stop) sending
   over HTTP with python-telegram-bot to the stub enforcing 30/s overall and 20/min per
   group. Reports total time against the 30/s floor, 429 answers, duplicates and losses.
2. Punctuality: N one-off schedules due at successive minutes, each to its own group. The
   engine's clock runs at real speed but is moved forward between occurrences so the next
   due time is ~0.7 s ahead; lateness = when the stub received the message - due time.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select  # noqa: E402

from bot.broadcast import approval, schedules  # noqa: E402
from bot.broadcast.engine import BroadcastEngine, EngineOptions  # noqa: E402
from bot.broadcast.models import PENDING, SENDING, Delivery, Occurrence  # noqa: E402
from bot.broadcast.posts import PostContent  # noqa: E402
from bot.broadcast.recurrence import Recurrence  # noqa: E402
from bot.broadcast.runner import make_bot  # noqa: E402
from bot.commands import Role  # noqa: E402
from bot.platforms.telegram import TelegramPlatform  # noqa: E402
from bot.store import Chat, open_store  # noqa: E402
from testkit.botapi_stub import BotApiStub  # noqa: E402

ADMIN = approval.Actor("telegram", "1", Role.ADMIN, "bench", "1")
TEXT = "<b>Phủ xanh</b>: kỷ niệm ngày thành lập Đảng, <i>bài của chi bộ</i>."


def setup(store, stub, count: int, first: int) -> list[int]:
    ids = [first - i for i in range(count)]
    with store.session() as session:
        for chat_id in ids:
            stub.add_chat(chat_id, "supergroup")
            session.add(Chat(platform="telegram", chat_id=str(chat_id), title=f"Chi bộ {chat_id}"))
    return ids


def new_post(store) -> int:
    with store.session() as session:
        return approval.compose(session, PostContent(TEXT), ADMIN, approval_required=False).id


def unfinished(store) -> int:
    with store.session() as session:
        return session.scalar(
            select(func.count(Delivery.id)).where(Delivery.status.in_((PENDING, SENDING)))
        )


async def throughput(workdir: Path, groups: int) -> dict:
    store = open_store(f"sqlite:///{workdir / 'throughput.sqlite3'}")
    with BotApiStub() as stub:
        stub.enforce_limits(global_per_sec=30, per_group_per_min=20)
        ids = setup(store, stub, groups, -1001000000000)
        bot = make_bot(stub.token, stub.base_url)
        await bot.initialize()
        engine = BroadcastEngine(store, {"telegram": TelegramPlatform(bot)}, EngineOptions())
        await engine.start()
        with store.session() as session:
            post = session.get(approval.Post, new_post(store))
            now = datetime.now(UTC)
            schedules.create(session, post, None, schedules.Targets(), ADMIN, now)
        started = time.monotonic()
        engine.wake()
        while unfinished(store) or not stub.calls_to("sendMessage"):
            await asyncio.sleep(0.05)
        sends = [c for c in stub.calls_to("sendMessage") if c.ok]
        elapsed = sends[-1].ts - sends[0].ts
        total = time.monotonic() - started
        await engine.stop()
        await bot.shutdown()
        got = Counter(m["chat"]["id"] for m in stub.sent_messages())
        floor = (groups - 1) / 30  # n sends at 30/s span (n - 1)/30 s at best
        result = {
            "groups": groups,
            "first_to_last_s": round(elapsed, 2),
            "total_s": round(total, 2),
            "floor_s": round(floor, 2),
            "over_floor_pct": round(100 * (elapsed / floor - 1), 1),
            "answers_429": stub.count_429,
            "duplicates": sum(1 for n in got.values() if n > 1),
            "losses": sum(1 for chat_id in ids if got[chat_id] == 0),
        }
    store.close()
    return result


class OffsetClock:
    """Real time plus an offset the bench moves forward between occurrences."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> datetime:
        return datetime.fromtimestamp(time.time() + self.offset, UTC)


async def punctuality(workdir: Path, occurrences: int) -> dict:
    store = open_store(f"sqlite:///{workdir / 'punctuality.sqlite3'}")
    clock = OffsetClock()
    with BotApiStub() as stub:
        stub.enforce_limits(global_per_sec=30, per_group_per_min=20)
        ids = setup(store, stub, occurrences, -1002000000000)
        post_id = new_post(store)
        base = (clock() + timedelta(minutes=2)).replace(second=0, microsecond=0)
        dues = [base + timedelta(minutes=k) for k in range(occurrences)]
        with store.session() as session:
            post = session.get(approval.Post, post_id)
            refs = dict(session.execute(select(Chat.chat_id, Chat.id)).all())
            for due, chat_id in zip(dues, ids, strict=True):
                targets = schedules.Targets("chats", (str(refs[str(chat_id)]),))
                recurrence = Recurrence.once(due, tz="UTC")
                schedules.create(session, post, recurrence, targets, ADMIN, clock())
        bot = make_bot(stub.token, stub.base_url)
        await bot.initialize()
        options = EngineOptions(tick_seconds=0.5)
        engine = BroadcastEngine(store, {"telegram": TelegramPlatform(bot)}, options, clock=clock)
        await engine.start()
        lateness = []
        for k, (due, chat_id) in enumerate(zip(dues, ids, strict=True)):
            clock.offset = due.timestamp() - time.time() - 0.7  # due 0.7 s from now
            call = await stub.wait_for_async(
                lambda c=chat_id: [
                    x for x in stub.calls_to("sendMessage") if x.ok and x.result["chat"]["id"] == c
                ],
                timeout=10,
            )
            lateness.append(call[0].ts + clock.offset - due.timestamp())
            if k % 20 == 19:
                print(f"  {k + 1} occurrences…", file=sys.stderr)
        await engine.stop()
        await bot.shutdown()
        with store.session() as session:
            statuses = Counter(session.scalars(select(Occurrence.status)).all())
    store.close()
    lateness.sort()
    return {
        "occurrences": occurrences,
        "p50_s": round(statistics.median(lateness), 3),
        "max_s": round(max(lateness), 3),
        "min_s": round(min(lateness), 3),
        "occurrence_states": dict(statuses),
    }


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--groups", type=int, default=1000)
    parser.add_argument("--occurrences", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print("throughput:", await throughput(Path(tmp), args.groups), flush=True)
        print("punctuality:", await punctuality(Path(tmp), args.occurrences), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
