"""A process that runs only the delivery engine: `python -m bot.broadcast.runner`.

For operators who run delivery apart from the chat bot, and for the crash test, which
SIGKILLs it mid-broadcast. Configured like the bot, through BOT_… settings. On SQLite run
one per database (a starting engine takes every `sending` row for a dead process's); on
PostgreSQL run as many as you like: they share the sending lease (bot/broadcast/lease.py).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
from collections.abc import Sequence

from bot.broadcast.engine import BroadcastEngine, EngineOptions
from bot.broadcast.lease import lease_for
from bot.broadcast.limits import Limits
from bot.settings import load_settings
from bot.store import open_store


def make_bot(token: str, base_url: str, read_timeout: float = 10.0):
    """A PTB Bot pointed at `base_url` (Telegram, or the stub in tests)."""
    from telegram import Bot
    from telegram.request import HTTPXRequest

    import bot.platforms.telegram  # noqa: F401  (opts PTB into timedelta durations first)

    # one connection per send in flight: a request queued for a connection is late for
    # the limiter's estimate of when Telegram saw it (the Application's pool is 256)
    request = HTTPXRequest(read_timeout=read_timeout, connect_timeout=5.0, connection_pool_size=32)
    return Bot(token, base_url=base_url, request=request)


async def run(args: argparse.Namespace) -> int:
    settings = load_settings()
    store = open_store(settings.resolved_database_url, settings.resolved_db_auto_migrate)
    token = settings.telegram_token.get_secret_value()
    bot = make_bot(token, settings.telegram_base_url, args.read_timeout)
    try:
        # `async with`: the bot's connections are closed on every way out, a failed getMe too
        async with bot:
            options = EngineOptions.from_settings(settings)
            options.limits = Limits(per_second=args.per_second)
            from bot.platforms.telegram import TelegramPlatform

            platforms = {"telegram": TelegramPlatform(bot)}
            engine = BroadcastEngine(store, platforms, options, lease=lease_for(store.engine))
            stopped = asyncio.Event()
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(sig, stopped.set)
            await engine.start()
            try:
                print("engine started", flush=True)
                await stopped.wait()
            finally:
                await engine.stop()
    finally:
        store.close()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.broadcast.runner",
        description="chạy riêng bộ gửi bài theo lịch (cấu hình qua biến môi trường BOT_…)",
    )
    parser.add_argument("--per-second", type=int, default=30)
    parser.add_argument("--read-timeout", type=float, default=10.0)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its URLs carry the token
    return asyncio.run(run(args))


if __name__ == "__main__":
    raise SystemExit(main())
