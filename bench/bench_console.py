"""Console figures: each page's server render time on a big installation.

    python bench/bench_console.py [--groups 1000] [--posts 500] [--questions 10000]
        [--occurrences 60] [--repeat 30]

Fills a fresh SQLite database with --groups groups (tags), --posts posts (a fifth awaiting
approval), a schedule per post (once, daily, weekly, cron, a fifth paused), --occurrences
past occurrences each delivered to every group (sent, some failed and uncertain), and
--questions questions (a third unanswered), then asks every console page --repeat times
through the console's own ASGI app in process, signed in as an admin with a real session:
the time from the request to the last byte of the response, database reads included
(the store's thread pool, as in the bot), network excluded. Target: p95 ≤ 300 ms per page.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from starlette.applications import Starlette  # noqa: E402

from bench.harness import pct  # noqa: E402
from bot.app import build_services  # noqa: E402
from bot.broadcast.models import (  # noqa: E402
    DONE,
    FAILED,
    SENT,
    UNCERTAIN,
    Delivery,
    Occurrence,
    Post,
    Schedule,
)
from bot.broadcast.recurrence import Recurrence  # noqa: E402
from bot.console import sessions  # noqa: E402
from bot.console.identity import Identity  # noqa: E402
from bot.console.web import console_routes  # noqa: E402
from bot.settings import load_settings  # noqa: E402
from bot.store import Chat, Question  # noqa: E402

ADMIN = 1001


def fill(store, groups: int, posts: int, questions: int, occurrences: int, rng) -> int:
    """The big installation; returns an occurrence that reached every group."""
    now = datetime.now(UTC)
    engine = store.engine
    with engine.begin() as conn:
        conn.execute(
            Chat.__table__.insert(),
            [
                {
                    "platform": "telegram",
                    "chat_id": str(-1_000_000_000 - i),
                    "title": f"Chi bộ {i + 1} phường {i % 40 + 1}",
                    "chat_type": "supergroup",
                    "active": True,
                    "bot_is_admin": i % 3 == 0,
                    "tags": f"phuong{i % 40 + 1},khoi{i % 5 + 1}",
                    "inactive_reason": "",
                    "added_at": now,
                    "updated_at": now,
                }
                for i in range(groups)
            ],
        )
        conn.execute(
            Question.__table__.insert(),
            [
                {
                    "platform": "telegram",
                    "chat_type": "private" if i % 4 else "group",
                    "text": f"Câu hỏi số {i} về nghị quyết đại hội và công tác {i % 97}?",
                    "answered": i % 3 != 0,
                    "score": rng.random(),
                    "source": "",
                    "asked_at": (now - timedelta(minutes=7 * i)),
                }
                for i in range(questions)
            ],
        )
    # a once-only time is local wall-clock time, whole minutes
    local_hour = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).replace(
        tzinfo=None, minute=0, second=0, microsecond=0
    )
    rhythms = [
        lambda: Recurrence.once(
            local_hour + timedelta(days=rng.randint(1, 27), hours=rng.randint(0, 9))
        ),
        lambda: Recurrence.from_text("daily@07:30;tz=Asia/Ho_Chi_Minh"),
        lambda: Recurrence.from_text("weekly:mon,thu@20:00;tz=Asia/Ho_Chi_Minh"),
        lambda: Recurrence.from_text("cron:0 8 * * 1-5;tz=Asia/Ho_Chi_Minh"),
    ]
    with store.session() as session:
        made = []
        for i in range(posts):
            status = "awaiting" if i % 5 == 0 else "approved"
            post = Post(
                text=f"<b>Bài {i}</b> tuyên truyền <i>phủ xanh</i> thông tin tích cực số {i}.",
                buttons='[[{"text": "Đọc thêm", "url": "https://dangcongsan.vn"}]]',
                status=status,
                version=1,
                author_id=str(ADMIN),
                author_name="Quản trị",
            )
            session.add(post)
            made.append(post)
        session.flush()
        for i, post in enumerate(made):
            rec = rhythms[i % len(rhythms)]()
            session.add(
                Schedule(
                    post_id=post.id,
                    recurrence=rec.to_text(),
                    target_kind="tags" if i % 2 else "all",
                    target_value=f"phuong{i % 40 + 1}" if i % 2 else "",
                    status="paused" if i % 5 == 4 else "active",
                    cursor=now,
                    next_due=now + timedelta(hours=1),
                )
            )
        session.flush()
        chat_ids = [c for (c,) in session.query(Chat.id).all()]
        occ_ids = []
        for k in range(occurrences):
            occ = Occurrence(
                schedule_id=1 + k % posts,
                post_id=made[k % posts].id,
                post_version=1,
                due_at=now - timedelta(hours=12 * (k + 1)),
                status=DONE,
                content="",
            )
            session.add(occ)
            session.flush()
            occ_ids.append(occ.id)
    with engine.begin() as conn:
        for occ_id in occ_ids:
            conn.execute(
                Delivery.__table__.insert(),
                [
                    {
                        "occurrence_id": occ_id,
                        "chat_ref": chat,
                        "platform": "telegram",
                        "chat_id": str(-1_000_000_000 - chat),
                        "is_group": True,
                        "status": (SENT, SENT, SENT, FAILED, UNCERTAIN)[j % 5] if j % 7 else SENT,
                        "message_id": str(j),
                        "reason": "bot bị xóa khỏi nhóm (403)" if j % 5 == 3 else "",
                        "attempts": 1,
                        "pinned": False,
                        "sent_at": now,
                        "updated_at": now,
                    }
                    for j, chat in enumerate(chat_ids)
                ],
            )
    return occ_ids[0]


async def measure(
    app, cookie: str, paths: list[str], repeat: int
) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """(wall time, process CPU time) of each request, per page. On a machine others load,
    the CPU time is the page's own cost; the wall time adds the wait for a core."""
    transport = httpx.ASGITransport(app=app)
    times: dict[str, list[float]] = {p: [] for p in paths}
    cpu: dict[str, list[float]] = {p: [] for p in paths}
    async with httpx.AsyncClient(
        transport=transport, base_url="http://console", cookies={sessions.COOKIE: cookie}
    ) as client:
        for path in paths:  # warm: templates compiled, caches filled, as in a running bot
            response = await client.get(path)
            assert response.status_code == 200, (path, response.status_code, response.text[:300])
        for _ in range(repeat):
            for path in paths:
                started, used = time.perf_counter(), time.process_time()
                response = await client.get(path)
                _ = response.content
                times[path].append(time.perf_counter() - started)
                cpu[path].append(time.process_time() - used)
                assert response.status_code == 200, path
    return times, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--groups", type=int, default=1000)
    parser.add_argument("--posts", type=int, default=500)
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--occurrences", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    rng = random.Random(12)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        settings = load_settings(
            knowledge_dir=ROOT / "knowledge",
            index_dir=work / "index",
            data_dir=work / "data",
            embedding_backend="hash",
            admin_ids=[ADMIN],
            console_enabled=True,
            public_url="https://bot.example.vn",
        )
        services = build_services(settings)
        services.knowledge.open()
        store, parts = services.store, services.console
        assert parts is not None
        started = time.perf_counter()
        occ = fill(store, args.groups, args.posts, args.questions, args.occurrences, rng)
        print(f"filled in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        cookie = sessions.open_session(
            store,
            Identity("telegram", str(ADMIN), "Quản trị"),
            "link",
            datetime.now(UTC),
            timedelta(hours=1),
        )
        month = (datetime.now(UTC) + timedelta(days=10)).date().isoformat()
        paths = [
            "/console/",
            "/console/duyet",
            "/console/lich",
            f"/console/lich?xem=thang&ngay={month}",
            f"/console/lich?xem=tuan&ngay={month}",
            "/console/baocao",
            f"/console/baocao/{occ}",
            f"/console/baocao/{occ}.csv",
            "/console/tailieu",
            "/console/cauhoi",
            "/console/quyen",
        ]
        app = Starlette(routes=console_routes(parts))  # mounted at /console/, as in the bot
        times, cpu = asyncio.run(measure(app, cookie, paths, args.repeat))
        store.close()
    print(
        f"{args.groups} groups, {args.posts} posts, {args.questions} questions, "
        f"{args.occurrences} occurrences × {args.groups} deliveries; {args.repeat} runs each"
    )
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    head = f"{'page':44} {'wall p50':>9} {'p95':>7} {'max':>7} {'cpu p50':>9} {'p95':>7}"
    print(head + "   (ms)")
    worst = worst_cpu = 0.0
    for path, values in times.items():
        p50, p95, top = (1000 * pct(values, q) for q in (0.5, 0.95, 1.0))
        c50, c95 = (1000 * pct(cpu[path], q) for q in (0.5, 0.95))
        worst, worst_cpu = max(worst, p95), max(worst_cpu, c95)
        print(f"{path:44} {p50:9.1f} {p95:7.1f} {top:7.1f} {c50:9.1f} {c95:7.1f}")
    print(f"worst p95: wall {worst:.1f} ms, cpu {worst_cpu:.1f} ms (target ≤ 300 ms)")
    return 0 if worst <= 300 else 1


if __name__ == "__main__":
    raise SystemExit(main())
