"""Keeps the running bot's index current after start: follows, retries, tells admins.

The bot opens its knowledge base with `KnowledgeBase.serve_then_refresh` (the last good build
answers at once). This service then, every few seconds: serves a build another process
published (`reindex`, another replica); after a failed build, tries again once a knowledge
file has changed; and hands each new failure reason, once, to `notify` (the composition root
sends it to the admin chat).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from bot.search.knowledge_base import KnowledgeBase

log = logging.getLogger(__name__)


class KnowledgeKeeper:
    """A background service (start/stop) beside the bot."""

    def __init__(
        self,
        knowledge: KnowledgeBase,
        notify: Callable[[str], Awaitable[None]],
        interval: float = 5.0,
    ) -> None:
        self.knowledge = knowledge
        self.notify = notify
        self.interval = interval
        self._reported: str | None = None
        self._task: asyncio.Task | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="knowledge-keeper")

    async def stop(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                await self.tick()
            except Exception:  # the keeper must outlive any one failure
                log.exception("knowledge keeper")

    async def tick(self) -> None:
        kb = self.knowledge
        await asyncio.to_thread(kb.follow_current)
        if kb.last_error is not None:
            summary = await asyncio.to_thread(kb.retry_if_changed)
            if summary is not None:
                log.info("knowledge base rebuilt after a failure: %d chunks", summary.chunks)
        reason = kb.last_error
        if reason is not None and reason != self._reported:
            log.warning("knowledge build failed, the last good index serves: %s", reason)
            await self.notify(reason)
        self._reported = reason
