"""Replying without letting a platform error stop the bot: retry what surely did not leave."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from bot.chat import OutgoingMessage, Platform, SentMessage
from bot.errors import ChatGone, DeliveryError, Rejected, RetryLater, Uncertain, Unreachable

log = logging.getLogger(__name__)

MAX_WAIT = 30.0  # a reply later than this is worse than none: the member has moved on
UNREACHABLE_PAUSE = 0.5

GoneCallback = Callable[[str, str, str], Awaitable[None]]  # platform, chat id, reason


class Courier:
    """Sends and edits replies; one retry for RetryLater and Unreachable, the rest logged."""

    def __init__(self, on_gone: GoneCallback | None = None, max_wait: float = MAX_WAIT) -> None:
        self.on_gone = on_gone
        self.max_wait = max_wait

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
        for attempt in (1, 2):
            try:
                return await call()
            except RetryLater as exc:
                if attempt == 2 or exc.retry_after > self.max_wait:
                    log.warning(
                        "%s to %s dropped: flood limit (%ss)", verb, chat_id, exc.retry_after
                    )
                    return None
                await asyncio.sleep(exc.retry_after)
            except Unreachable as exc:
                if attempt == 2:
                    log.warning("%s to %s failed: unreachable (%s)", verb, chat_id, exc)
                    return None
                await asyncio.sleep(UNREACHABLE_PAUSE)
            except ChatGone as exc:
                log.info("%s to %s: chat gone (%s)", verb, chat_id, exc)
                if self.on_gone is not None:
                    await self.on_gone(platform.name, chat_id, str(exc))
                return None
            except Uncertain as exc:
                # it may have been delivered: a second copy would be worse than none
                log.warning("%s to %s uncertain: %s", verb, chat_id, exc)
                return None
            except (Rejected, DeliveryError) as exc:
                log.warning("%s to %s rejected: %s", verb, chat_id, exc)
                return None
        return None


async def _edited(edit: Awaitable[None]) -> bool:
    await edit
    return True
