"""The answer desk as a service: what the chat commands and the console call.

Built by the composition root from exactly what it uses. Database work goes through
`await store.run(…)`; embedding the questions runs in a worker thread, never on the event
loop, and each wording is embedded once per process (a bounded cache: listing the desk
again costs a query, not the model). Publishing an approved answer (write the document,
reindex, tell the askers) runs in the background and is resumed at start, so a stop in
the middle loses nothing: an approved answer without its document gets it, members not
told yet are told.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import zoneinfo
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from bot.answerdesk import desk, documents
from bot.answerdesk.grouping import SIMILAR, QuestionGroup, group_similar, wording_key, wordings
from bot.answerdesk.models import APPROVED, AWAITING, PUBLISHED
from bot.answerdesk.telling import Teller, interrupted
from bot.assistant.reloading import Reloader
from bot.broadcast import approval, approvers
from bot.broadcast.approval import Actor
from bot.chat import Button, OutgoingMessage, Platform, send_privately
from bot.errors import BotError
from bot.search.encoders import Encoder
from bot.store import Store

log = logging.getLogger(__name__)

WINDOW = 500  # wordings grouped at most (the most asked): the rest wait for their turn
CACHED_VECTORS = 20_000
RETRY_SECONDS = 60.0  # members not reached yet (platform down, flood limit) are tried again


def decision_buttons(answer_id: int) -> tuple[tuple[Button, ...], ...]:
    return (
        (
            Button("✅ Duyệt", data=f"hd:ok:{answer_id}"),
            Button("❌ Từ chối", data=f"hd:no:{answer_id}"),
        ),
    )


class AnswerDesk:
    """Unanswered questions grouped, officers' answers, their approval and publication."""

    def __init__(
        self,
        *,
        store: Store,
        encoder: Encoder,
        knowledge_dir: Path,
        reloader: Reloader,
        teller: Teller,
        platforms: Mapping[str, Platform],
        admin_ids: list[int],
        bridge_admins: Mapping[str, list[str]] | None = None,
        timezone: str = "Asia/Ho_Chi_Minh",
        threshold: float = SIMILAR,
        retry_seconds: float = RETRY_SECONDS,
        warm_at_start: bool = True,
    ) -> None:
        self.store = store
        self.encoder = encoder
        self.knowledge_dir = knowledge_dir
        self.reloader = reloader
        self.teller = teller
        self.platforms = platforms  # filled by the composition root as adapters start
        self.admin_ids = admin_ids
        self.bridge_admins = dict(bridge_admins or {})
        self.zone = zoneinfo.ZoneInfo(timezone)
        self.threshold = threshold
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._vectors_lock = threading.Lock()
        self._tasks: set[asyncio.Task] = set()
        self.retry_seconds = retry_seconds
        # embed the listed wordings once at start, in the background: each wording costs
        # a query's encoding (~15-40 ms), 500 of them ~10-20 s on two busy cores
        self.warm_at_start = warm_at_start
        self._retrying: asyncio.Task | None = None

    # -- the list ------------------------------------------------------------------

    async def groups(self, limit: int = 20) -> list[QuestionGroup]:
        """Unanswered questions no answer covers yet, grouped, most asked first."""
        rows = await self.store.run(desk.unanswered_texts, self.store)
        items = wordings(rows)[:WINDOW]
        vectors = await asyncio.to_thread(self._embed, [w.text for w in items])
        return group_similar(items, vectors, self.threshold)[:limit]

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.encoder.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            key = wording_key(text)
            with self._vectors_lock:
                vector = self._vectors.get(key)
                if vector is not None:
                    self._vectors.move_to_end(key)
            if vector is None:
                # a question against questions: both sides as e5 queries (symmetric)
                vector = self.encoder.query(text)
                with self._vectors_lock:
                    self._vectors[key] = vector
                    while len(self._vectors) > CACHED_VECTORS:
                        self._vectors.popitem(last=False)
            out[i] = vector
        return out

    # -- answering and approving -----------------------------------------------------

    async def answer(self, who: Actor, group: QuestionGroup, text: str) -> desk.AnswerView:
        """An officer answers a group: stored awaiting approval, approvers asked."""
        view = await self.store.run(desk.submit, self.store, group.texts, group.text, text, who)
        await self._ask_approvers(view, exclude=(who.platform, who.user_id))
        return view

    def _approvers(self) -> list[tuple[str, str]]:
        with self.store.session() as session:
            return approval.approvers(session, self.admin_ids, self.bridge_admins)

    async def _ask_approvers(self, view: desk.AnswerView, exclude: tuple[str, str]) -> int:
        people = await self.store.run(self._approvers)
        wordings_ = await self.store.run(desk.questions_of, self.store, view.id)
        card = documents.render_card(view, self.zone, wordings_)
        request = OutgoingMessage(f"{card}\nCần duyệt.", buttons=decision_buttons(view.id))
        return await approvers.ask_privately(
            self.platforms, people, [request], skip=lambda p, u: (p, u) == exclude
        )

    async def decide(
        self, who: Actor, answer_id: int, approve: bool, note: str = ""
    ) -> desk.AnswerView:
        """Record a decision, tell the author; an approved answer is published behind it."""
        view = await self.store.run(desk.decide, self.store, answer_id, who, approve, note)
        await self._tell_author(view, who)
        if approve:
            self._background(self.publish(answer_id))
        return view

    async def _tell_author(self, view: desk.AnswerView, who: Actor) -> None:
        if (who.platform, who.user_id) == (view.author_platform, view.author_id):
            return
        platform = self.platforms.get(view.author_platform)
        if platform is None:
            return
        verdict = "đã được duyệt" if view.status != "rejected" else "bị từ chối"
        reason = f" Lý do: {documents.esc(view.note)}" if view.note else ""
        message = OutgoingMessage(f"Câu trả lời số {view.id} của bạn {verdict}.{reason}")
        try:  # where they wrote it in chat; privately when they wrote it in the console
            if view.author_chat:
                await platform.send(view.author_chat, message)
            else:
                await send_privately(platform, view.author_id, message)
        except BotError as exc:
            log.info("author of answer %s not told: %s", view.id, exc)

    # -- publishing --------------------------------------------------------------------

    async def publish(self, answer_id: int) -> dict[str, int]:
        """Write an approved answer's document, index it, tell the members who asked."""
        view = await self.store.run(desk.get, self.store, answer_id)
        if view.status == APPROVED:
            name = documents.document_name(view.id)
            content = documents.render_document(view, self.zone)
            await asyncio.to_thread(documents.write_document, self.knowledge_dir, name, content)
            await self.store.run(desk.mark_published, self.store, view.id, name)
            await self.reloader.refresh()
            log.info("answer %s published as %s", view.id, name)
        elif view.status != PUBLISHED:
            return {}
        return await self.teller.tell(
            view.id, lambda asked: documents.render_told(view, asked, self.zone)
        )

    def _background(self, work) -> None:
        task = asyncio.create_task(work, name="answer-desk")
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("publishing an answer failed", exc_info=task.exception())

    async def idle(self) -> None:
        """Until the publications under way have ended (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def start(self) -> None:
        """Resume what a stop interrupted (documents not written, members not told), then
        keep trying the members a platform could not reach yet."""
        uncertain = await self.store.run(interrupted, self.store)
        if uncertain:
            log.warning("%d askers may or may not have got their answer (stopped)", uncertain)
        for view in await self.store.run(desk.listed, self.store, (APPROVED,), 1000):
            self._background(self.publish(view.id))
        self._retrying = asyncio.create_task(self._keep_telling(), name="answer-desk-retry")
        if self.warm_at_start:  # the first /chuatraloi or Questions page need not embed
            self._background(self.groups(1))

    async def _keep_telling(self) -> None:
        while True:
            try:
                for answer_id in await self.store.run(desk.still_to_tell, self.store):
                    await self.publish(answer_id)
            except Exception:  # a database hiccup: the next round tries again
                log.exception("telling askers failed")
            await asyncio.sleep(self.retry_seconds)

    async def stop(self) -> None:
        if self._retrying is not None:
            self._retrying.cancel()
            await asyncio.gather(self._retrying, return_exceptions=True)
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*list(self._tasks), return_exceptions=True)

    # -- reading ---------------------------------------------------------------------

    async def awaiting(self) -> list[desk.AnswerView]:
        return await self.store.run(desk.listed, self.store, (AWAITING,), 50)
