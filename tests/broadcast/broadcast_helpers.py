"""Broadcast test helpers: a recording fake platform, a settable clock, rows to start from."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bot.broadcast import approval, schedules
from bot.broadcast.approval import Actor
from bot.broadcast.engine import BroadcastEngine, EngineOptions
from bot.broadcast.limits import Limits
from bot.broadcast.models import PENDING, SENDING, Delivery
from bot.broadcast.posts import PostContent
from bot.chat import Capabilities, OutgoingMessage, SentMessage
from bot.commands import Role
from bot.store import Chat, Store, open_store

ADMIN = Actor("telegram", "1", Role.ADMIN, "Quản trị", "1")
MOD = Actor("telegram", "2", Role.MODERATOR, "Điều hành", "2")
T0 = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)  # 08:00 in Hà Nội
# No pacing in unit tests: they are about states, not rates.
FAST = Limits(per_second=10_000, per_group_per_minute=10_000, per_chat_per_second=10_000)


@dataclass
class FakeClock:
    now: datetime = T0

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@dataclass
class FakePlatform:
    """Records sends; `script[chat_id]` lists exceptions to raise on the next sends there."""

    name: str = "telegram"
    capabilities: Capabilities = field(default_factory=Capabilities)
    sent: list[tuple[str, OutgoingMessage]] = field(default_factory=list)
    pins: list[tuple[str, str]] = field(default_factory=list)
    script: dict[str, list[Exception]] = field(default_factory=dict)
    on_send: Callable[[str], None] | None = None

    async def send(self, chat_id: str, message: OutgoingMessage, reply_to=None) -> SentMessage:
        if self.on_send:
            self.on_send(chat_id)
        if self.script.get(chat_id):
            raise self.script[chat_id].pop(0)
        self.sent.append((chat_id, message))
        return SentMessage(chat_id, str(len(self.sent)))

    async def pin(self, chat_id: str, message_id: str, silent: bool = True) -> None:
        self.pins.append((chat_id, message_id))

    def chats(self) -> list[str]:
        return [chat for chat, _ in self.sent]


def add_groups(store: Store, count: int, first: int = -1001000000001, **fields) -> list[str]:
    """Register `count` active groups; returns their chat ids."""
    ids = [str(first - i) for i in range(count)]
    with store.session() as session:
        for chat_id in ids:
            session.add(
                Chat(platform="telegram", chat_id=chat_id, title=f"Chi bộ {chat_id}", **fields)
            )
    return ids


def add_post(store: Store, text: str = "<b>Tin vui</b> hôm nay", approved: bool = True) -> int:
    with store.session() as session:
        post = approval.compose(session, PostContent(text), MOD, approval_required=True)
        if approved:
            approval.decide(session, post.id, post.version, ADMIN, approve=True)
        return post.id


def add_schedule(store: Store, post_id: int, recurrence, now: datetime, **options) -> int:
    targets = options.pop("targets", schedules.Targets())
    with store.session() as session:
        post = session.get(approval.Post, post_id)
        return schedules.create(session, post, recurrence, targets, MOD, now, **options).id


def make_engine(store: Store, platform, clock, **options) -> BroadcastEngine:
    options.setdefault("limits", FAST)
    options.setdefault("backoff_seconds", 0.01)
    return BroadcastEngine(store, {"telegram": platform}, EngineOptions(**options), clock=clock)


def limited_broadcast(stub, url: str, count: int) -> tuple[list[str], dict[str, str]]:
    """`count` groups the stub knows, one approved post due now, and the environment of a
    runner process sending it through the stub (which enforces Telegram's flood limits)."""
    stub.enforce_limits(global_per_sec=30, per_group_per_min=20)
    store = open_store(url)
    groups = add_groups(store, count)
    for chat_id in groups:
        stub.add_chat(int(chat_id), "supergroup")
    add_schedule(store, add_post(store), None, datetime.now(UTC))
    store.close()
    env = {
        **os.environ,
        "BOT_DATABASE_URL": url,
        "BOT_TELEGRAM_TOKEN": stub.token,
        "BOT_TELEGRAM_BASE_URL": stub.base_url,
        "BOT_BROADCAST_TICK_SECONDS": "0.2",
    }
    return groups, env


def start_runner(env: dict[str, str], log) -> subprocess.Popen:
    """The delivery engine as its own process (python -m bot.broadcast.runner)."""
    return subprocess.Popen(
        [sys.executable, "-m", "bot.broadcast.runner", "--read-timeout", "5"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )


def unfinished(url: str) -> int:
    """Deliveries still pending or in flight in the database at `url`."""
    store = open_store(url)
    try:
        with store.session() as session:
            return session.scalar(
                select(func.count(Delivery.id)).where(Delivery.status.in_((PENDING, SENDING)))
            )
    finally:
        store.close()
