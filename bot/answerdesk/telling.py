"""Telling the members who asked: the approved answer in a private message, once each.

Durable like a broadcast's deliveries (bot/broadcast/deliveries.py): each member's rows are
claimed `sending` in a committed transaction before the call, then end `sent`,
`unreachable` (the platform does not let the bot write first: Telegram refuses a member
who never opened a private chat with it; a bridge member whose private chat the directory
does not know is not tried) or `uncertain` (the request left, no answer came: never sent
again). What surely did not leave (the platform unreachable, a flood limit) goes back to
`waiting` and is tried on the next pass: after the next approval, or at the next start.
A member who asked several of an answer's questions gets one message.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy import select, update

from bot.answerdesk.models import AnsweredQuestion
from bot.assistant.delivery import ReplyPacer
from bot.chat import OutgoingMessage, Platform, send_privately
from bot.clock import utcnow
from bot.errors import ChatGone, DeliveryError, Rejected, RetryLater, Uncertain, Unreachable
from bot.store import Asker, Question, Store

log = logging.getLogger(__name__)

WAITING, SENDING, SENT, UNREACHABLE, UNCERTAIN = (
    "waiting",
    "sending",
    "sent",
    "unreachable",
    "uncertain",
)
MAX_RETRY_AFTER = 60.0  # a longer flood limit: the member is tried on the next pass
# (platform, user id) -> True/False when the platform knows whether the bot may write to
# them first, None when only trying tells (Telegram)
PrivateChatKnown = Callable[[str, str], bool | None]


@dataclass(frozen=True)
class Recipient:
    """One member to tell, and the rows (one per question they asked) that say so."""

    platform: str
    user_id: str
    asker_ids: tuple[int, ...]
    asked_privately: bool
    asked: str  # their (first) wording of the question


def recipients(store: Store, answer_id: int) -> list[Recipient]:
    """Members who asked the answer's questions and were not told yet."""
    with store.session() as session:
        rows = session.execute(
            select(Asker.id, Asker.platform, Asker.user_id, Asker.chat_type, Question.text)
            .join(AnsweredQuestion, AnsweredQuestion.question_id == Asker.question_id)
            .join(Question, Question.id == Asker.question_id)
            .where(AnsweredQuestion.answer_id == answer_id, Asker.status == WAITING)
            .order_by(Asker.id)
        ).all()
    found: dict[tuple[str, str], tuple[list[int], bool, str]] = {}
    for asker_id, platform, user_id, chat_type, text in rows:
        ids, private, asked = found.setdefault((platform, user_id), ([], False, text))
        ids.append(asker_id)
        found[(platform, user_id)] = (ids, private or chat_type == "private", asked)
    return [Recipient(p, u, tuple(ids), *rest) for (p, u), (ids, *rest) in found.items()]


def claim(store: Store, answer_id: int, who: Recipient) -> bool:
    """Mark the member's rows `sending` (committed); False when none is left to claim, or
    when this answer already reached them through another row (then those are `sent` too)."""
    with store.session() as session:
        told = session.scalar(
            select(Asker.id).where(
                Asker.answer_id == answer_id,
                Asker.platform == who.platform,
                Asker.user_id == who.user_id,
                Asker.status.in_((SENDING, SENT, UNCERTAIN)),
            )
        )
        status = SENT if told is not None else SENDING
        claimed = session.execute(
            update(Asker)
            .where(Asker.id.in_(who.asker_ids), Asker.status == WAITING)
            .values(status=status, answer_id=answer_id, told_at=utcnow())
        ).rowcount  # type: ignore[attr-defined]
    return bool(claimed) and told is None


def settle(store: Store, who: Recipient, status: str, reason: str = "") -> None:
    with store.session() as session:
        session.execute(
            update(Asker)
            .where(Asker.id.in_(who.asker_ids), Asker.status == SENDING)
            .values(status=status, reason=reason[:256], told_at=utcnow())
        )


def interrupted(store: Store) -> int:
    """At start: rows a stopped process left `sending` may have been delivered: uncertain."""
    with store.session() as session:
        return int(
            session.execute(
                update(Asker)
                .where(Asker.status == SENDING)
                .values(status=UNCERTAIN, reason="bot dừng khi đang gửi")
            ).rowcount  # type: ignore[attr-defined]
            or 0
        )


class Teller:
    """Sends an approved answer to the members who asked it, through the platforms running."""

    def __init__(
        self,
        store: Store,
        platforms: Mapping[str, Platform],
        private_chat_known: PrivateChatKnown | None = None,
        pacer: ReplyPacer | None = None,
    ) -> None:
        self.store = store
        self.platforms = platforms  # filled by the composition root as adapters start
        self.private_chat_known = private_chat_known or (lambda _p, _u: None)
        self.pacer = pacer

    async def tell(
        self, answer_id: int, message: Callable[[str], OutgoingMessage]
    ) -> dict[str, int]:
        """One pass over the members not told yet; returns how many ended in each state."""
        done: dict[str, int] = {}
        for who in await self.store.run(recipients, self.store, answer_id):
            platform = self.platforms.get(who.platform)
            if platform is None:  # that adapter is not running now: the next pass
                continue
            if not who.asked_privately:
                known = await asyncio.to_thread(self.private_chat_known, who.platform, who.user_id)
                if known is False:
                    if await self.store.run(claim, self.store, answer_id, who):
                        reason = "chưa từng nhắn riêng với bot"
                        await self.store.run(settle, self.store, who, UNREACHABLE, reason)
                        done[UNREACHABLE] = done.get(UNREACHABLE, 0) + 1
                    continue
            if not await self.store.run(claim, self.store, answer_id, who):
                continue
            status, reason = await self._send(platform, who, message(who.asked))
            await self.store.run(settle, self.store, who, status, reason)
            done[status] = done.get(status, 0) + 1
        return done

    async def _send(
        self, platform: Platform, who: Recipient, message: OutgoingMessage
    ) -> tuple[str, str]:
        chat = f"{who.platform}:{who.user_id}"
        for _attempt in range(3):
            grant = await self.pacer.reply_slot(chat) if self.pacer else None
            try:
                await send_privately(platform, who.user_id, message)
                return SENT, ""
            except RetryLater as exc:
                if self.pacer is not None:
                    self.pacer.hold(chat, exc.retry_after)
                if exc.retry_after > MAX_RETRY_AFTER:
                    return WAITING, str(exc)
                await asyncio.sleep(exc.retry_after)
            except Unreachable as exc:  # surely not delivered: the next pass tries again
                log.info("asker %s:%s not reached: %s", who.platform, who.user_id, exc)
                return WAITING, str(exc)
            except (ChatGone, Rejected) as exc:  # never opened a private chat, or blocked us
                return UNREACHABLE, str(exc)
            except Uncertain as exc:  # it may have arrived: a second copy would be worse
                return UNCERTAIN, str(exc)
            except DeliveryError as exc:
                return UNREACHABLE, str(exc)
            finally:
                if self.pacer is not None and grant is not None:
                    self.pacer.settle(grant)
        return WAITING, "giới hạn gửi tin"
