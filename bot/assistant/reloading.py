"""/reload in the background: one progress message edited as the build goes, then a summary.

The console starts the same rebuild without a chat (`start(None, None)`) and shows `state`,
which follows every rebuild whoever started it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass

from bot import replies
from bot.assistant.delivery import Courier
from bot.chat import Platform, SentMessage
from bot.errors import BotError, BuildInProgress
from bot.search.knowledge_base import KnowledgeBase

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReloadState:
    """Where the current or last rebuild is, for a page that polls it."""

    running: bool = False
    stage: str = ""  # "đọc tài liệu", "mã hóa", "ghi chỉ mục"
    done: int = 0
    total: int = 0
    result: str = ""  # the last rebuild's summary or failure (Telegram HTML, as in chat)
    failed: bool = False


class Reloader:
    """Runs at most one rebuild at a time; searches keep using the old index meanwhile."""

    def __init__(
        self, knowledge: KnowledgeBase, courier: Courier, progress_interval: float = 2.0
    ) -> None:
        self.knowledge = knowledge
        self.courier = courier
        self.progress_interval = progress_interval
        self._task: asyncio.Task | None = None
        self.state = ReloadState()

    @property
    def running(self) -> bool:
        return (self._task is not None and not self._task.done()) or self.knowledge.building

    def start(
        self, platform: Platform | None, chat_id: str | None, reply_to: str | None = None
    ) -> bool:
        """Start a rebuild reported to `chat_id` (or only in `state` when there is no chat);
        False when one is already running."""
        if self.running:
            return False
        self._task = asyncio.create_task(self._run(platform, chat_id, reply_to), name="reload")
        return True

    async def wait(self) -> None:
        """Until the current rebuild (if any) has finished and been reported."""
        if self._task is not None:
            await asyncio.shield(self._task)

    async def refresh(self) -> None:
        """Index what was written to the knowledge folder before this call, reported to no
        chat (the answer desk's documents): after a rebuild already running, which may have
        read the folder before the write, one more. A failed build is logged; the old index
        serves on and the next build takes the file in."""
        while True:
            await self.wait()
            if self.running:  # a build of another path (the keeper): let it end first
                await asyncio.sleep(0.2)
                continue
            self._task = asyncio.create_task(self._quietly(), name="reload")
            if await asyncio.shield(self._task):
                return

    async def _quietly(self) -> bool:
        """One rebuild; False when another started first (then it is waited for)."""
        try:
            summary = await asyncio.to_thread(self.knowledge.rebuild)
        except BuildInProgress:
            return False
        except Exception as exc:
            log.warning("reload for the answer desk failed: %s", exc)
            return True
        log.info("reloaded: %d documents, %d chunks", summary.documents, summary.chunks)
        return True

    async def stop(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(
        self, platform: Platform | None, chat_id: str | None, reply_to: str | None
    ) -> None:
        self.state = ReloadState(running=True, stage="đọc tài liệu", result=self.state.result)
        try:
            text, failed, sent = await self._rebuild(platform, chat_id, reply_to)
        except BaseException:
            self.state = ReloadState(result=self.state.result)
            raise
        self.state = ReloadState(result=text, failed=failed)
        if platform is None or chat_id is None:
            return
        if sent is None or not await self.courier.edit(platform, chat_id, sent.message_id, text):
            await self.courier.send(platform, chat_id, text, reply_to)

    async def _rebuild(
        self, platform: Platform | None, chat_id: str | None, reply_to: str | None
    ) -> tuple[str, bool, SentMessage | None]:
        """(the summary or the failure, whether it failed, the chat's progress message)."""
        loop = asyncio.get_running_loop()
        changed = asyncio.Event()
        latest: list[tuple[str, int, int]] = []

        def progress(stage: str, done: int, total: int) -> None:
            # called from the build thread
            latest.append((stage, done, total))
            loop.call_soon_threadsafe(changed.set)

        sent = None
        if platform is not None and chat_id is not None:
            sent = await self.courier.send(
                platform, chat_id, replies.render_progress("đọc tài liệu", 0, 0), reply_to
            )
        build = asyncio.ensure_future(asyncio.to_thread(self.knowledge.rebuild, progress))
        shown: tuple[str, int, int] | None = None
        last_edit = time.monotonic()
        while not build.done():
            changed.clear()
            waiter = asyncio.ensure_future(changed.wait())
            await asyncio.wait({build, waiter}, return_when=asyncio.FIRST_COMPLETED)
            waiter.cancel()
            if build.done() or not latest:
                continue
            current = latest[-1]
            del latest[:-1]
            self.state = ReloadState(True, *current, result=self.state.result)
            if sent is None or platform is None or chat_id is None:
                continue
            now = time.monotonic()
            if current != shown and now - last_edit >= self.progress_interval:
                shown = current
                last_edit = now
                await self.courier.edit(
                    platform, chat_id, sent.message_id, replies.render_progress(*shown)
                )
        try:
            summary = build.result()
        except BuildInProgress:
            return replies.RELOAD_BUSY, True, sent
        except BotError as exc:
            log.warning("reload failed: %s", exc)
            return replies.render_build_failed(str(exc)), True, sent
        except Exception as exc:  # any failure must reach the admin; the old index serves on
            log.exception("reload crashed")
            return replies.render_build_failed(f"{type(exc).__name__}: {exc}"), True, sent
        else:
            log.info(
                "reloaded: %d documents, %d chunks, %d skipped, %.1fs",
                summary.documents,
                summary.chunks,
                len(summary.skipped),
                summary.seconds,
            )
            text = replies.render_summary(
                summary.documents,
                summary.chunks,
                summary.embedded,
                summary.skipped,
                summary.seconds,
                summary.changed,
            )
            return text, False, sent
