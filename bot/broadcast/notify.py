"""Talking to people about posts: previews, approval requests with buttons, decisions.

Button data: "bc:ok:<post>:<version>" and "bc:no:<post>:<version>"; the version makes a
button on an older version of an edited post refuse to approve the new text.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping

from bot.broadcast import BroadcastError, approval, approvers, operator, views
from bot.broadcast.approval import Actor
from bot.broadcast.posts import PostContent
from bot.chat import Button, OutgoingMessage, Platform
from bot.commands import PressContext
from bot.errors import BotError
from bot.store import Store

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


class Approvals:
    """Asks approvers with buttons, records their decisions, tells the author."""

    def __init__(
        self,
        *,
        store: Store,
        platforms: Mapping[str, Platform],
        admin_ids: list[int],
        wake: Callable[[], None],
        bridge_admins: Mapping[str, list[str]] | None = None,
    ) -> None:
        self.store = store
        self.platforms = platforms  # filled by the composition root as adapters start
        self.admin_ids = admin_ids
        self.bridge_admins = dict(bridge_admins or {})  # platform -> admin ids, asked too
        self.wake = wake  # the delivery engine looks for work now

    def _approvers(self, post_id: int) -> tuple[list[tuple[str, str]], str]:
        with self.store.session() as session:
            people = approval.approvers(session, self.admin_ids, self.bridge_admins)
            post = session.get(approval.Post, post_id)
            return people, views.post_card(post) if post else f"Bài {post_id}"

    async def ask(self, post_id: int, version: int, content: PostContent, exclude: str = "") -> int:
        """Send every approver the preview and Approve/Reject buttons; returns how many got it."""
        people, card = await self.store.run(self._approvers, post_id)
        buttons = decision_buttons(post_id, version)
        request = OutgoingMessage(f"{card}\nCần duyệt.", buttons=buttons)
        return await approvers.ask_privately(
            self.platforms, people, [content.message(), request], skip=lambda _p, u: u == exclude
        )

    async def decide(
        self, who: Actor, post_id: int, version: int | None, yes: bool, note: str = ""
    ) -> str:
        """Record a decision, tell the author, wake the engine; returns the reply to the decider."""
        post, text = await self.store.run(
            operator.decide, self.store, post_id, version, who, yes, note
        )
        author = (post.author_platform, post.author_chat or post.author_id)
        reason = f" Lý do: {views.esc(note)}" if note else ""
        author_platform = self.platforms.get(author[0])
        if author_platform is not None and not approval.is_author(who, post):
            verdict = "đã được duyệt" if yes else "bị từ chối"
            try:
                await author_platform.send(
                    author[1], OutgoingMessage(f"Bài {post_id} của bạn {verdict}.{reason}")
                )
            except BotError as exc:
                log.info("author of post %s not told: %s", post_id, exc)
        if yes:
            self.wake()
        return text

    async def on_press(self, ctx: PressContext) -> None:
        """An approver pressed ✅ or ❌ under a post."""
        pressed = await approvers.read_press(ctx, _DATA)
        if pressed is None:
            return
        m, who = pressed
        try:
            text = await self.decide(who, int(m[2]), int(m[3]), m[1] == "ok")
        except BroadcastError as exc:
            await approvers.refuse_press(ctx, str(exc))
            return
        await approvers.settle_press(ctx, text)
