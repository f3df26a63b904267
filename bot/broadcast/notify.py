"""Talking to people about posts: previews, approval requests with buttons, decisions.

Button data: "bc:ok:<post>:<version>" and "bc:no:<post>:<version>"; the version makes a
button on an older version of an edited post refuse to approve the new text.
"""

from __future__ import annotations

import logging
import re

from bot.broadcast import BroadcastError, approval, views
from bot.broadcast.approval import Actor
from bot.broadcast.posts import PostContent
from bot.commands import PressContext
from bot.errors import BotError
from bot.platforms.base import Button, OutgoingMessage, Platform, send_privately

log = logging.getLogger(__name__)
_DATA = re.compile(r"bc:(ok|no):(\d{1,12}):(\d{1,6})")


def decision_buttons(post_id: int, version: int) -> tuple[tuple[Button, ...], ...]:
    return (
        (
            Button("✅ Duyệt", data=f"bc:ok:{post_id}:{version}"),
            Button("❌ Từ chối", data=f"bc:no:{post_id}:{version}"),
        ),
    )


async def preview(platform: Platform, chat_id: str, content: PostContent, card: str) -> None:
    """The post exactly as groups will get it, then its status card."""
    await platform.send(chat_id, content.message())
    await platform.send(chat_id, OutgoingMessage(card))


async def notify_approvers(
    services, post_id: int, version: int, content: PostContent, exclude: str = ""
) -> int:
    """Send every approver the preview and Approve/Reject buttons; returns how many got it."""
    bridge_admins = {n: c.admin_ids for n, c in services.settings.bridge_platforms.items()}
    with services.store.session() as session:
        people = approval.approvers(session, services.settings.admin_ids, bridge_admins)
        post = session.get(approval.Post, post_id)
        card = views.post_card(post) if post else f"Bài {post_id}"
    reached = 0
    for platform_name, user_id in people:
        platform = services.platforms.get(platform_name)
        if platform is None or user_id == exclude:
            continue
        try:  # privately: on a bridge, the member's private chat there (docs/bridge.md)
            await send_privately(platform, user_id, content.message())
            buttons = decision_buttons(post_id, version)
            request = OutgoingMessage(f"{card}\nCần duyệt.", buttons=buttons)
            await send_privately(platform, user_id, request)
            reached += 1
        except BotError as exc:  # an approver who never opened a chat with the bot
            log.info("approver %s:%s not reached: %s", platform_name, user_id, exc)
    return reached


def wake_engine(services) -> None:
    """Tell the delivery engine (if it runs in this process) to look for work now."""
    for service in getattr(services, "background", []):
        if hasattr(service, "wake"):
            service.wake()


async def decide_and_tell(
    services, who: Actor, platform: Platform, post_id: int, version: int, yes: bool, note=""
) -> str:
    """Record a decision, tell the author, wake the engine; returns the reply to the decider."""
    with services.store.session() as session:
        post = approval.decide(session, post_id, version, who, yes, note)
        author = (post.author_platform, post.author_chat or post.author_id)
    verdict = "đã được duyệt" if yes else "bị từ chối"
    reason = f" Lý do: {views.esc(note)}" if note else ""
    author_platform = services.platforms.get(author[0])
    if author_platform is not None and author[1] != who.user_id:
        try:
            await author_platform.send(
                author[1], OutgoingMessage(f"Bài {post_id} của bạn {verdict}.{reason}")
            )
        except BotError as exc:
            log.info("author of post %s not told: %s", post_id, exc)
    if yes:
        wake_engine(services)
    return f"Bài {post_id} {verdict}."


async def on_press(ctx: PressContext) -> None:
    """An approver pressed ✅ or ❌ under a post."""
    press = ctx.press
    m = _DATA.fullmatch(press.data or "")
    if m is None:
        await ctx.platform.answer_press(press.press_id, "Nút này không còn dùng được.")
        return
    who = Actor(press.platform, press.user_id, ctx.role, chat_id=press.chat_id)
    try:
        text = await decide_and_tell(
            ctx.services, who, ctx.platform, int(m[2]), int(m[3]), m[1] == "ok"
        )
    except BroadcastError as exc:
        await ctx.platform.answer_press(press.press_id, str(exc)[:190])
        return
    await ctx.platform.answer_press(press.press_id, text)
    try:  # replace the buttons by the decision, so nobody presses them again
        await ctx.platform.edit(press.chat_id, press.message_id, OutgoingMessage(text))
    except BotError as exc:
        log.info("decision message not edited: %s", exc)
