"""A recording fake Platform: what the core sent, edited and acknowledged, with scripted faults."""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field

from bot.chat import Capabilities, OutgoingMessage, SentMessage
from bot.errors import DeliveryError


@dataclass
class Sent:
    chat_id: str
    message_id: str
    message: OutgoingMessage
    reply_to: str | None = None
    edits: list[OutgoingMessage] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The text as it reads now (after edits)."""
        return (self.edits[-1] if self.edits else self.message).text

    @property
    def current(self) -> OutgoingMessage:
        return self.edits[-1] if self.edits else self.message


class FakePlatform:
    """Implements Platform in memory; `fail(verb, error)` makes the next call raise."""

    def __init__(self, name: str = "fake", admins: dict[str, set[str]] | None = None) -> None:
        self.name = name
        self.capabilities = Capabilities()
        self.sent: list[Sent] = []
        self.presses: list[tuple[str, str]] = []
        self.pins: list[tuple[str, str]] = []
        self.files: dict[str, bytes] = {}
        self.chat_admins = admins or {}
        self._faults: dict[str, list[DeliveryError]] = {}
        self._ids = itertools.count(1000)
        self._changed = asyncio.Condition()

    def fail(self, verb: str, error: DeliveryError, times: int = 1) -> None:
        self._faults.setdefault(verb, []).extend([error] * times)

    def _maybe_fail(self, verb: str) -> None:
        if self._faults.get(verb):
            raise self._faults[verb].pop(0)

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def wait_for(self, predicate, timeout: float = 5.0):
        """Until predicate() is truthy (checked after every recorded call)."""
        async with asyncio.timeout(timeout), self._changed:
            while not (result := predicate()):
                await self._changed.wait()
            return result

    def texts(self, chat_id: str | None = None) -> list[str]:
        return [s.text for s in self.sent if chat_id is None or s.chat_id == chat_id]

    async def send(
        self, chat_id: str, message: OutgoingMessage, reply_to: str | None = None
    ) -> SentMessage:
        self._maybe_fail("send")
        sent = Sent(chat_id, str(next(self._ids)), message, reply_to)
        self.sent.append(sent)
        await self._notify()
        return SentMessage(chat_id, sent.message_id)

    async def edit(self, chat_id: str, message_id: str, message: OutgoingMessage) -> None:
        self._maybe_fail("edit")
        for sent in self.sent:
            if sent.chat_id == chat_id and sent.message_id == message_id:
                sent.edits.append(message)
                await self._notify()
                return
        raise DeliveryError(f"no message {message_id} in {chat_id}")

    async def answer_press(self, press_id: str, text: str = "") -> None:
        self._maybe_fail("answer_press")
        self.presses.append((press_id, text))
        await self._notify()

    async def is_chat_admin(self, chat_id: str, user_id: str) -> bool:
        return user_id in self.chat_admins.get(chat_id, set())

    async def pin(self, chat_id: str, message_id: str, silent: bool = True) -> None:
        self._maybe_fail("pin")
        self.pins.append((chat_id, message_id))

    async def fetch_document(self, file_ref: str, limit: int) -> bytes:
        self._maybe_fail("fetch_document")
        return self.files[file_ref][: limit + 1]
