"""Approvers asked privately, and their ✅/❌ presses read and settled.

Posts (bot/broadcast/notify.py) and the answer desk's answers (bot/answerdesk) are both
approved this way; only the wording and the button data differ.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Mapping, Sequence

from bot.broadcast.approval import Actor
from bot.chat import OutgoingMessage, Platform, send_privately
from bot.commands import PressContext
from bot.errors import BotError

log = logging.getLogger(__name__)

STALE = "Nút này không còn dùng được."
PRESS_ANSWER_MAX = 190  # Telegram takes at most 200 characters in a press's answer


async def ask_privately(
    platforms: Mapping[str, Platform],
    people: Iterable[tuple[str, str]],
    messages: Sequence[OutgoingMessage],
    skip: Callable[[str, str], bool] = lambda _platform, _user: False,
) -> int:
    """Send each approver (platform, user id) `messages` in their private chat; returns
    how many got them all. Those on a platform not connected, or `skip`ped, are left out."""
    reached = 0
    for platform_name, user_id in people:
        platform = platforms.get(platform_name)
        if platform is None or skip(platform_name, user_id):
            continue
        try:  # privately: on a bridge, the member's private chat there (docs/bridge.md)
            for message in messages:
                await send_privately(platform, user_id, message)
            reached += 1
        except BotError as exc:  # an approver who never opened a chat with the bot
            log.info("approver %s:%s not reached: %s", platform_name, user_id, exc)
    return reached


async def read_press(ctx: PressContext, data: re.Pattern[str]) -> tuple[re.Match, Actor] | None:
    """The pressed button's data matched by `data`, and who pressed it; None (the press
    answered as stale) when the data does not match."""
    press = ctx.press
    m = data.fullmatch(press.data or "")
    if m is None:
        await ctx.platform.answer_press(press.press_id, STALE)
        return None
    return m, Actor(press.platform, press.user_id, ctx.role, chat_id=press.chat_id)


async def refuse_press(ctx: PressContext, why: str) -> None:
    """Answer a press whose decision was refused; its buttons stay."""
    await ctx.platform.answer_press(ctx.press.press_id, why[:PRESS_ANSWER_MAX])


async def settle_press(ctx: PressContext, text: str) -> None:
    """Answer the press with the decision, and put the decision in place of the buttons so
    nobody presses them again (an old message may not be editable: the press is answered)."""
    press = ctx.press
    await ctx.platform.answer_press(press.press_id, text[:PRESS_ANSWER_MAX])
    try:
        await ctx.platform.edit(press.chat_id, press.message_id, OutgoingMessage(text))
    except BotError as exc:
        log.info("decision message not edited: %s", exc)
