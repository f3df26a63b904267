"""Members ask: rate limit, length cap, search in a worker thread, paging and feedback."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Callable

from bot import replies
from bot.answers import Answer, answer, check_question
from bot.assistant import callbacks, records
from bot.assistant.delivery import Courier
from bot.assistant.ratelimit import QuestionLimiter
from bot.chat import Button, ButtonPress, IncomingMessage, OutgoingMessage, Platform
from bot.errors import BotError, IndexCorrupt, InvalidQuestion
from bot.search.knowledge_base import KnowledgeBase
from bot.store import Store

log = logging.getLogger(__name__)

RECENT_ANSWERS = 2_000  # answers kept for paging; older ones are searched again on a press
RECORD_WAIT = 2.0  # seconds an answer waits for its record before it goes out without buttons
RECORD_TRIES = 3  # a question's record is tried this often (1 s, 2 s apart) before it is logged


class Asking:
    """Turns a member's question into a quoted answer and handles its buttons."""

    def __init__(
        self,
        knowledge: KnowledgeBase,
        store: Store,
        courier: Courier,
        limiter: QuestionLimiter,
        voter_salt: bytes,
        max_chars: int = 500,
        observer: Callable[[str, bool, float], None] | None = None,
    ) -> None:
        self.knowledge = knowledge
        self.store = store
        self.courier = courier
        self.limiter = limiter
        self.voter_salt = voter_salt
        self.button_key = callbacks.derive_key(voter_salt)
        self.max_chars = max_chars
        self._recent: OrderedDict[int, Answer] = OrderedDict()
        # question id -> (platform, chat, message) its answer was sent as: a press on a
        # button is honoured only from that message (after a restart: from that chat, by
        # the signature in the button data)
        self._sent_as: OrderedDict[int, tuple[str, str, str]] = OrderedDict()
        self.record_wait = RECORD_WAIT
        self._recording: set[asyncio.Task] = set()
        # metrics hook: (platform, answered, seconds from taking the question up to the reply)
        self.observer = observer

    async def ask(self, msg: IncomingMessage, platform: Platform, raw: str, limited: bool) -> None:
        """Answer one question in the chat it came from, as a reply to it."""
        reply_to = msg.message_id or None
        if limited:
            decision = await self.limiter.check(f"{msg.platform}:{msg.user_id}")
            if not decision.allowed:
                if decision.warn:
                    text = replies.render_slow_down(decision.retry_after)
                    await self.courier.send(platform, msg.chat_id, text, reply_to)
                return
        started = time.monotonic()
        try:
            question = check_question(raw, self.max_chars)  # before anything is embedded
        except InvalidQuestion as exc:
            await self.courier.send(platform, msg.chat_id, _escape(str(exc)), reply_to)
            return
        try:
            # the search embeds the question: a worker thread, never the event loop
            ans = await asyncio.to_thread(answer, self.knowledge, question, self.max_chars)
        except IndexCorrupt:
            await self.courier.send(platform, msg.chat_id, replies.NOT_READY, reply_to)
            return
        except BotError as exc:
            await self.courier.send(platform, msg.chat_id, _escape(str(exc)), reply_to)
            return
        question_id = await self._recorded(msg, ans)
        if question_id is not None and ans.answered:
            self._remember(question_id, ans)  # on the loop thread: the cache has no lock
        binding = self._binding(msg.platform, msg.chat_id)
        rendered = self.render(ans, question_id, 0, binding)
        sent = await self.courier.send(platform, msg.chat_id, rendered, reply_to)
        if sent is not None and ans.answered and question_id is not None:
            self._note_sent(question_id, (msg.platform, msg.chat_id, sent.message_id))
        if self.observer is not None:
            self.observer(msg.platform, ans.answered, time.monotonic() - started)

    async def _recorded(self, msg: IncomingMessage, ans: Answer) -> int | None:
        """The question's id, or None when the store cannot take it now.

        An answer found is never thrown away because it could not be recorded (issue 10:
        with the SQLite file locked the member got an apology): after RECORD_WAIT seconds
        the answer goes out without buttons (they need the id), and the record is tried
        again in the background, then logged if it still fails."""
        task = asyncio.create_task(self._record(msg, ans))
        self._recording.add(task)
        task.add_done_callback(self._recording.discard)
        try:
            return await asyncio.wait_for(asyncio.shield(task), self.record_wait)
        except TimeoutError:
            log.warning(
                "question not recorded within %.0fs: answered without buttons", self.record_wait
            )
            return None

    async def _record(self, msg: IncomingMessage, ans: Answer) -> int | None:
        pause = 1.0
        for attempt in range(1, RECORD_TRIES + 1):
            try:
                return await self.store.run(
                    records.record_question,
                    self.store,
                    msg.platform,
                    msg.chat_type,
                    ans,
                    msg.user_id,
                )
            except Exception as exc:  # a locked or unreachable database: not the member's fault
                if attempt == RECORD_TRIES:
                    log.error("question not recorded after %d tries: %s", attempt, exc)
                    return None
                log.warning("recording a question failed (%s); again in %.0fs", exc, pause)
                await asyncio.sleep(pause)
                pause *= 2
        return None

    async def settle(self) -> None:
        """Wait for the records still being tried (at shutdown, in tests)."""
        if self._recording:
            await asyncio.gather(*self._recording, return_exceptions=True)

    def _remember(self, question_id: int, ans: Answer) -> None:
        self._recent[question_id] = ans
        while len(self._recent) > RECENT_ANSWERS:
            self._recent.popitem(last=False)

    def _note_sent(self, question_id: int, where: tuple[str, str, str]) -> None:
        self._sent_as[question_id] = where
        while len(self._sent_as) > RECENT_ANSWERS:
            self._sent_as.popitem(last=False)

    def _binding(self, platform: str, chat_id: str) -> callbacks.Binding:
        return callbacks.Binding(self.button_key, platform, chat_id)

    def _honoured(self, press: ButtonPress, action: callbacks.ShowPage | callbacks.Vote) -> bool:
        """Made by us for this chat, and pressed on the message that carried it (if known)."""
        if not self._binding(press.platform, press.chat_id).holds(action):
            return False
        where = self._sent_as.get(action.question_id)
        return where is None or where == (press.platform, press.chat_id, press.message_id)

    def render(
        self, ans: Answer, question_id: int | None, page: int, binding: callbacks.Binding
    ) -> OutgoingMessage:
        """Page `page` of an answer, with its buttons; a decline has none, nor an answer
        whose question could not be recorded (`question_id` None)."""
        if not ans.answered or not ans.hits:
            return OutgoingMessage(text=replies.render_no_answer())
        total = len(ans.hits)
        page = page % total
        text = replies.render_answer(replies.AnswerView(ans.hits[page], page, total))
        if question_id is None:
            return OutgoingMessage(text=text)
        rows: list[tuple[Button, ...]] = []
        if total > 1:
            label = f"{replies.MORE_LABEL} ({(page + 1) % total + 1}/{total})"
            rows.append((Button(label, data=callbacks.show_page(binding, question_id, page + 1)),))
        rows.append(
            (
                Button(replies.HELPFUL_LABEL, data=callbacks.vote(binding, question_id, True)),
                Button(replies.UNHELPFUL_LABEL, data=callbacks.vote(binding, question_id, False)),
            )
        )
        return OutgoingMessage(text=text, buttons=tuple(rows))

    async def press(self, press: ButtonPress, platform: Platform) -> None:
        """A press on one of our buttons; stale or foreign data gets a short notice."""
        action = callbacks.parse(press.data)
        if action is None or not self._honoured(press, action):
            # forged, copied from another chat or message: no lookup, no search, no edit
            log.info("press refused: %s %s in %s", press.platform, press.user_id, press.chat_id)
            await _acknowledge(platform, press, replies.INVALID_BUTTON)
            return
        if isinstance(action, callbacks.Vote):
            salt = self.voter_salt
            voter = records.voter_hash(salt, action.question_id, press.platform, press.user_id)
            stored = await self.store.run(
                records.record_vote, self.store, action.question_id, voter, action.helpful
            )
            note = replies.THANKS_FOR_VOTE if stored else replies.STALE_BUTTON
            await _acknowledge(platform, press, note)
            return
        if isinstance(action, callbacks.ShowPage):
            ans = await self._recall(action.question_id)
            if ans is None or not ans.answered:
                await _acknowledge(platform, press, replies.STALE_BUTTON)
                return
            await _acknowledge(platform, press, "")
            binding = self._binding(press.platform, press.chat_id)
            message = self.render(ans, action.question_id, action.page, binding)
            await self.courier.edit(platform, press.chat_id, press.message_id, message)

    async def _recall(self, question_id: int) -> Answer | None:
        """The answer behind a button: remembered, or searched again (after a restart)."""
        if (ans := self._recent.get(question_id)) is not None:
            return ans
        text = await self.store.run(records.question_text, self.store, question_id)
        if text is None:
            return None
        try:
            ans = await asyncio.to_thread(answer, self.knowledge, text, self.max_chars)
        except BotError:
            return None
        if ans.answered:
            self._remember(question_id, ans)
        return ans


async def _acknowledge(platform: Platform, press: ButtonPress, text: str) -> None:
    try:
        await platform.answer_press(press.press_id, text)
    except BotError as exc:  # an expired press cannot be answered; nothing else to do
        log.info("press %s not acknowledged: %s", press.press_id, exc)


def _escape(text: str) -> str:
    import html

    return html.escape(text, quote=False)
