"""The broadcast work moderators do, from a chat command or the web console, written once.

`BroadcastDesk` stores and revises posts (asking the approvers when they need approval),
plans, moves, pauses and cancels schedules, and names approvers; each step does its
database work in one `await store.run(…)` (bot.broadcast.operator) and wakes the delivery
engine when there is something new to send. The chat commands (bot.broadcast.commands)
and the console's pages parse what people typed and call it. Errors a moderator can fix
are BroadcastError.
"""

from __future__ import annotations

import html
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from bot.broadcast import BroadcastError, operator
from bot.broadcast.approval import Actor
from bot.broadcast.notify import Approvals
from bot.broadcast.posts import PostContent
from bot.broadcast.recurrence import Recurrence
from bot.broadcast.timeparse import ScheduleError, parse_schedule
from bot.clock import Clock, utcnow
from bot.store import Store

_DONE = {"pause": "đã tạm dừng", "resume": "chạy lại"}


@dataclass(frozen=True)
class BroadcastOptions:
    """The broadcast feature's settings (bot.app fills them from Settings)."""

    approval_required: bool = True
    timezone: str = "Asia/Ho_Chi_Minh"


class BroadcastDesk:
    """Posts, their approval and their schedules, as the chat and the console change them."""

    def __init__(
        self,
        *,
        store: Store,
        options: BroadcastOptions,
        approvals: Approvals,
        clock: Clock = utcnow,
    ) -> None:
        self.store = store
        self.options = options
        self.approvals = approvals
        self.clock = clock

    async def submit(
        self,
        who: Actor,
        content: PostContent,
        source: str = "",
        show: Callable[[PostContent, str], Awaitable[None]] | None = None,
    ) -> tuple[int, bool]:
        """Store a new post (chat's /soan and the console) and ask the approvers when it needs
        approval; `show` previews it to its author first. (post id, awaiting approval)."""
        required = self.options.approval_required
        post_id, version, awaiting, card = await self.store.run(
            operator.compose, self.store, content, who, required, source
        )
        if show is not None:
            await show(content, card)
        if awaiting:
            await self.approvals.ask(post_id, version, content, exclude=who.user_id)
        return post_id, awaiting

    async def revise(
        self,
        who: Actor,
        post_id: int,
        text: str,
        buttons: tuple = (),
        show: Callable[[PostContent, str], Awaitable[None]] | None = None,
    ) -> str:
        """Edit a post (chat's /sua and the console): a new version, back to the approvers.

        `show` previews it to the editor before the approvers are asked; returns its card."""
        required = self.options.approval_required
        content, card, version, awaiting = await self.store.run(
            operator.edit, self.store, post_id, text, buttons, who, required
        )
        if show is not None:
            await show(content, card)
        if awaiting:
            await self.approvals.ask(post_id, version, content, exclude=who.user_id)
        return card

    def _when(self, text: str, now: datetime) -> Recurrence:
        try:
            return parse_schedule(text, now, self.options.timezone)
        except ScheduleError as exc:
            raise BroadcastError(str(exc)) from None

    async def plan(
        self,
        who: Actor,
        post_id: int,
        when: str | None,
        where: str = "",
        silent: bool = False,
        pin: bool = False,
    ) -> str:
        """Schedule a post (chat's /henlich and /guingay, the console's calendar): `when` in
        the words people write («20:00 25/12», «7:30 hằng ngày»), None for now; `where`
        «tất cả», #labels or chat ids. Returns what was scheduled, for the person."""
        now = self.clock()
        recurrence = None if when is None else self._when(when, now)
        tz = self.options.timezone
        text = await self.store.run(
            operator.schedule, self.store, post_id, recurrence, where, who, now, tz, silent, pin
        )
        self.approvals.wake()
        return text

    async def reschedule(self, schedule_id: int, when: str) -> str:
        """Move a schedule to another time or rhythm (the console's calendar)."""
        now = self.clock()
        recurrence = self._when(when, now)
        tz = self.options.timezone
        text = await self.store.run(
            operator.reschedule, self.store, schedule_id, recurrence, now, tz
        )
        self.approvals.wake()
        return text

    async def change_schedule(self, schedule_id: int, action: str) -> str:
        """Pause, resume or cancel a schedule (chat and the console); the reply text."""
        if action == "cancel":
            return await self.store.run(operator.cancel, self.store, schedule_id, self.clock())
        await self.store.run(operator.change, self.store, schedule_id, action, self.clock())
        if action == "resume":
            self.approvals.wake()
        return f"Lịch {schedule_id} {_DONE[action]}."

    async def set_approver(self, platform: str, user_id: str, on: bool) -> str:
        """Let a moderator approve posts, or take it back (/nguoiduyet and the console)."""
        await self.store.run(operator.set_approver, self.store, platform, user_id, on)
        return f"Đã {'cho' if on else 'bỏ'} quyền duyệt bài: {html.escape(user_id)}."
