"""Replying without letting a platform error stop the bot: retry what surely did not leave.

A reply is one delivery, whatever happens: every try carries the same DELIVERY_KEY (the
bridge's delivery_id), and its outcome is counted once, by platform and state (sent,
failed, uncertain) for /metrics. What surely did not leave is tried again until
`max_wait` seconds after the first try: a RetryLater after its retry_after, an
unreachable platform after 1, 2, 4, 8 … s (a bridge connector down for half a minute
still gets each answer once). A reply later than that is worse than none: the member has
moved on. Replies draw from the same per-bot flood budget as broadcasts, ahead of them
(a `ReplyPacer`, the broadcast engine's FloodLimiter).
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from bot.chat import DELIVERY_KEY, OutgoingMessage, Platform, SentMessage
from bot.errors import ChatGone, DeliveryError, Rejected, RetryLater, Uncertain, Unreachable

log = logging.getLogger(__name__)

MAX_WAIT = 45.0  # seconds after the first try; past it an unreachable reply is dropped
# A flood limit says when the reply may go, and it surely did not go yet: it is waited
# out, however long past MAX_WAIT (issue 10: a 58 s retry_after dropped an answer), up to
# this; a longer one is reported (logged as an error, counted failed), never dropped silently.
MAX_HOLD = 300.0
FIRST_PAUSE = 1.0  # before trying an unreachable platform again, doubled each time
LONGEST_PAUSE = 8.0

GoneCallback = Callable[[str, str, str], Awaitable[None]]  # platform, chat id, reason
SENT, FAILED, UNCERTAIN = "sent", "failed", "uncertain"


class ReplyPacer(Protocol):
    """The per-bot flood budget replies share with broadcasts (bot.broadcast.limits)."""

    async def reply_slot(self, chat: str) -> Any: ...

    def settle(self, grant: Any, answered: bool = True) -> None: ...

    def hold(self, chat: str, seconds: float) -> None: ...


class Courier:
    """Sends and edits replies: one delivery each, retried while it surely did not leave."""

    def __init__(
        self,
        on_gone: GoneCallback | None = None,
        max_wait: float = MAX_WAIT,
        pacer: ReplyPacer | None = None,
        max_hold: float = MAX_HOLD,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.on_gone = on_gone
        self.max_wait = max_wait
        self.max_hold = max_hold
        self.pacer = pacer
        self._sleep = sleep
        self.outcomes: Counter[tuple[str, str]] = Counter()  # (platform, state) -> replies

    async def send(
        self,
        platform: Platform,
        chat_id: str,
        message: OutgoingMessage | str,
        reply_to: str | None = None,
    ) -> SentMessage | None:
        """Send; None when it could not be delivered (already logged)."""
        if isinstance(message, str):
            message = OutgoingMessage(text=message)
        out = message
        return await self._attempt(
            platform, chat_id, "send", lambda: platform.send(chat_id, out, reply_to=reply_to)
        )

    async def edit(
        self, platform: Platform, chat_id: str, message_id: str, message: OutgoingMessage | str
    ) -> bool:
        """Edit in place; False when the platform refused or could not be reached."""
        if isinstance(message, str):
            message = OutgoingMessage(text=message)
        out = message
        done = await self._attempt(
            platform,
            chat_id,
            "edit",
            lambda: _edited(platform.edit(chat_id, message_id, out)),
        )
        return done is not None

    async def _attempt(self, platform: Platform, chat_id: str, verb: str, call):
        token = DELIVERY_KEY.set(f"reply-{uuid.uuid4().hex}")  # one id on every try
        try:
            result, state = await self._tries(platform, chat_id, verb, call)
        finally:
            DELIVERY_KEY.reset(token)
        self.outcomes[(platform.name, state)] += 1
        return result

    async def _tries(self, platform: Platform, chat_id: str, verb: str, call):
        give_up = time.monotonic() + self.max_wait
        chat = f"{platform.name}:{chat_id}"
        pause = FIRST_PAUSE
        while True:
            grant = await self.pacer.reply_slot(chat) if self.pacer is not None else None
            answered = True
            try:
                return await call(), SENT
            except RetryLater as exc:
                if self.pacer is not None:
                    self.pacer.hold(chat, exc.retry_after)  # broadcasts wait for it too
                if exc.retry_after > self.max_hold:
                    log.error(
                        "%s to %s not delivered: flood limit of %ss is longer than %ss",
                        verb,
                        chat_id,
                        exc.retry_after,
                        self.max_hold,
                    )
                    return None, FAILED
                if time.monotonic() + exc.retry_after > give_up:
                    log.info("%s to %s held %ss by the flood limit", verb, chat_id, exc.retry_after)
                    give_up = time.monotonic() + exc.retry_after + self.max_wait
                wait = exc.retry_after
            except Unreachable as exc:
                answered = False  # no measure of the way to the platform
                if time.monotonic() + pause > give_up:
                    log.warning("%s to %s failed: unreachable (%s)", verb, chat_id, exc)
                    return None, FAILED
                log.info("%s to %s: unreachable (%s); again in %.0fs", verb, chat_id, exc, pause)
                wait, pause = pause, min(pause * 2, LONGEST_PAUSE)
            except ChatGone as exc:
                log.info("%s to %s: chat gone (%s)", verb, chat_id, exc)
                if self.on_gone is not None:
                    await self.on_gone(platform.name, chat_id, str(exc))
                return None, FAILED
            except Uncertain as exc:
                # it may have been delivered: a second copy would be worse than none
                log.warning("%s to %s uncertain: %s", verb, chat_id, exc)
                return None, UNCERTAIN
            except (Rejected, DeliveryError) as exc:
                log.warning("%s to %s rejected: %s", verb, chat_id, exc)
                return None, FAILED
            finally:
                if self.pacer is not None and grant is not None:
                    self.pacer.settle(grant, answered)
            await self._sleep(wait)


async def _edited(edit: Awaitable[None]) -> bool:
    await edit
    return True
