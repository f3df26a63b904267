"""Telegram in `python -m bot run`: long polling or a webhook, started again until it runs.

The first start is tried at once, then again with backoff while Telegram cannot be reached
(or refuses the token), so the rest of the bot never waits on it; see TelegramRunner.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from contextlib import suppress
from urllib.parse import urlsplit

from telegram.error import InvalidToken, NetworkError

from bot.platforms.telegram import TelegramPlatform
from bot.platforms.telegram_app import Services, build_application, running
from bot.platforms.telegram_token import TokenFilter, scrub
from bot.settings import Settings

log = logging.getLogger(__name__)


def webhook_secret(settings: Settings) -> str:
    return settings.webhook_secret.get_secret_value() or secrets.token_urlsafe(32)


def webhook_path(settings: Settings) -> str:
    return urlsplit(settings.webhook_url).path.strip("/") or "telegram"


def describe_failure(exc: BaseException, token: str) -> str:
    """Why Telegram could not be started, in Vietnamese, without the token."""
    if isinstance(exc, InvalidToken):
        return "Telegram từ chối token hoặc địa chỉ API sai (InvalidToken)"
    if isinstance(exc, NetworkError):
        return scrub(f"không kết nối được Telegram ({exc})", token)[:300]
    return scrub(f"{type(exc).__name__}: {exc}", token)[:300]


FIRST_RETRY = 1.0  # seconds before trying Telegram again, doubled each time…
LONGEST_RETRY = 60.0  # …up to this


class TelegramRunner:
    """The Telegram side of `python -m bot run` (see bot.runtime): long polling or webhook.

    Telegram unreachable (or refusing the token) at start must not take the bridge, the
    broadcasts or the HTTP server down with it: the first start is tried at once, then
    again with backoff in the background, and `services.parts["telegram"]` says why it
    is down (/readyz shows it). The platform is registered from the start, so a broadcast
    to a Telegram chat waits (Unreachable, retried) rather than failing as "not connected".
    """

    def __init__(self, settings: Settings, services: Services) -> None:
        self.token = settings.telegram_token.get_secret_value()
        token_filter = TokenFilter(self.token)
        for handler in logging.getLogger().handlers:
            handler.addFilter(token_filter)
        self.settings = settings
        self.services = services
        self.app = build_application(settings, services, owns_services=False)
        self.secret = webhook_secret(settings) if settings.webhook_url else ""
        services.platforms["telegram"] = TelegramPlatform(self.app.bot)
        self.parts = getattr(services, "parts", {})
        self.parts["telegram"] = "đang kết nối"
        self.up = False
        self._task: asyncio.Task | None = None
        self._stop: asyncio.Event | None = None

    def routes(self) -> list:
        """The webhook route for the bot's HTTP server (none when long polling)."""
        if not self.settings.webhook_url:
            return []
        from bot.platforms.telegram_webhook import webhook_route

        return [webhook_route(self.app, webhook_path(self.settings), self.secret)]

    def running(self):
        """Start PTB; stop it on exit (the services are the runtime's)."""
        if self.settings.webhook_url:
            log.info("webhook mode: Telegram posts to %s", self.settings.webhook_url)
            return running(self.app, webhook=(self.settings, self.secret))
        log.info("long polling %s", urlsplit(self.settings.telegram_base_url).netloc)
        return running(self.app)

    async def start(self) -> None:
        """Try once now (a healthy start is as before); on failure keep trying in the background."""
        self._stop = asyncio.Event()
        first = asyncio.Event()
        self._task = asyncio.create_task(self._supervise(first), name="telegram")
        await first.wait()

    async def _supervise(self, first: asyncio.Event) -> None:
        assert self._stop is not None
        pause = FIRST_RETRY
        while not self._stop.is_set():
            try:
                async with self.running():
                    self.up, self.parts["telegram"] = True, ""
                    first.set()
                    await self._stop.wait()
                    return
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                reason = describe_failure(exc, self.token)
                self.parts["telegram"] = reason
                log.error("Telegram chưa chạy được: %s; thử lại sau %.0f giây", reason, pause)
                log.debug("Telegram start failed", exc_info=True)  # scrubbed by TokenFilter
            finally:
                self.up = False
                first.set()
            with suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), pause)
            pause = min(pause * 2, LONGEST_RETRY)

    async def stop(self) -> None:
        """Stop polling cleanly when it runs; abandon a start still being tried."""
        if self._task is None or self._stop is None:
            return
        self._stop.set()
        if not self.up:
            self._task.cancel()
        with suppress(asyncio.CancelledError):
            await self._task
