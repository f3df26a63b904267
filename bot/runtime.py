"""`python -m bot run`: Telegram (polling or webhook), the bridge and the HTTP server, one process.

Start order: HTTP server (so a webhook or a connector finds it), the services (broadcast
engine, knowledge base), then Telegram: tried once at once, then again with backoff in the
background when it cannot be reached, while everything else runs (issue 10: Telegram down
at start ended the whole process). Stop order, on SIGTERM or SIGINT, is the reverse: no
new requests, the bridge's updates in hand finished, Telegram stopped, the services
(broadcast engine, store) stopped last. Nothing escapes `run` with the bot token in it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator
from dataclasses import dataclass

from bot.app import Services, build_services
from bot.settings import Settings

log = logging.getLogger(__name__)

BRIDGE_DEFAULT_PORT = 8080


def wants_server(settings: Settings) -> bool:
    """The bot's own process (not the console chat) is what `run` starts."""
    return bool(
        settings.telegram_token.get_secret_value()
        or settings.bridge_platforms
        or settings.http_port is not None
        or settings.console_on
    )


def http_address(settings: Settings) -> tuple[str, int] | None:
    """Where the HTTP server listens, or None when nothing needs it."""
    if settings.http_port is not None:
        return settings.http_listen, settings.http_port
    if settings.webhook_url and settings.telegram_token.get_secret_value():
        return settings.webhook_listen, settings.webhook_port
    if settings.bridge_platforms or settings.console_on:
        return settings.http_listen, BRIDGE_DEFAULT_PORT
    return None


@dataclass
class Running:
    """What `serving` started, for whoever holds it (tests read the URL and the parts)."""

    services: Services
    server: object | None = None  # bot.server.serve.HttpServer
    bridge: object | None = None  # bot.platforms.bridge.endpoint.BridgeEndpoint
    telegram: object | None = None  # bot.platforms.telegram_runner.TelegramRunner
    metrics: object | None = None  # bot.server.metrics.Metrics

    @property
    def url(self) -> str:
        return self.server.url if self.server is not None else ""  # type: ignore[attr-defined]


@contextlib.asynccontextmanager
async def serving(settings: Settings, services: Services) -> AsyncIterator[Running]:
    """Start every configured part; stop them in the order of the module docstring."""
    running = Running(services)
    routes: list = []
    if settings.telegram_token.get_secret_value():
        from bot.platforms.telegram_runner import TelegramRunner

        running.telegram = TelegramRunner(settings, services)
        routes += running.telegram.routes()
    address = http_address(settings)
    if address is not None:
        running.server = _http_server(settings, services, running, routes, address)
        await running.server.start()
    try:
        async with _platforms(running):
            try:
                yield running
            finally:
                await _stop_requests(running)
    finally:
        await _stop_requests(running)  # again, in case starting Telegram failed


def _http_server(settings, services, running: Running, routes: list, address):
    from bot.server.app import build_asgi
    from bot.server.serve import HttpServer

    metrics = running.metrics = services.metrics
    if settings.bridge_platforms:
        from bot.platforms.bridge.wiring import bridge_endpoint, bridge_routes

        count = metrics.bridge_updates.labels
        running.bridge = bridge_endpoint(
            settings,
            services.platforms,
            services.assistant,
            services.store,
            lambda p, o: count(p, o).inc(),
        )
        routes = [*routes, *bridge_routes(running.bridge)]
    if services.console is not None:  # the web console (BOT_CONSOLE_ENABLED, BOT_PUBLIC_URL)
        from bot.console.web import console_routes

        routes = [*routes, *console_routes(services.console)]
    # a chat platform registers itself as it starts (Telegram, a bridge): none means no one
    app = build_asgi(services, metrics, routes, serves_members=lambda: bool(services.platforms))
    return HttpServer(app, *address)


@contextlib.asynccontextmanager
async def _platforms(running: Running) -> AsyncIterator[None]:
    await running.services.start()
    try:
        if running.telegram is not None:
            await running.telegram.start()  # never raises: a failure is retried in the back
        try:
            yield
        finally:
            if running.telegram is not None:
                await running.telegram.stop()
    finally:
        await running.services.stop()


async def _stop_requests(running: Running) -> None:
    """No new requests, then the bridge updates already taken are finished."""
    if running.server is not None:
        await running.server.stop()
    if running.bridge is not None:
        await running.bridge.drain()


async def main(settings: Settings) -> int:
    """Run until SIGTERM or SIGINT."""
    services = build_services(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with serving(settings, services) as running:
        parts = []
        if running.telegram is not None:
            parts.append("telegram (webhook)" if settings.webhook_url else "telegram")
        parts += [f"bridge:{name}" for name in settings.bridge_platforms]
        if running.server is not None:
            parts.append(f"http {running.url}")
        log.info("bot running: %s", ", ".join(parts) or "no platform")
        if running.telegram is None and not settings.bridge_platforms:
            from bot.server.app import NO_PLATFORM

            log.warning("%s — /healthz trả 503 cho đến khi được cấu hình.", NO_PLATFORM)
        await stop.wait()
        log.info("stopping")
    log.info("stopped")
    return 0


def run(settings: Settings) -> int:
    try:
        return asyncio.run(main(settings))
    except Exception:
        # logged, not printed by the interpreter: the log handlers scrub the token
        log.exception("bot dừng vì lỗi")
        return 1
