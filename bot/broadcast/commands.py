"""Moderator commands for broadcasts (/soan, /henlich, /guingay, /lich, /baocao …); thin handlers.

`Broadcasts` is the feature: built by the composition root from exactly what it uses (the
store, its options, the knowledge base to quote from, the approvals) and registering its
bound-method handlers. Each handler parses its arguments (bot.broadcast.arguments), calls
the step it shares with the web console (its BroadcastDesk) or does its database work in
one `await store.run(…)` (never holding a session across a send), and replies. Errors a
moderator can fix are BroadcastError (shown as they are by the assistant); approvals are
asked for and given with buttons whose data starts with "bc:" (see notify.Approvals).
"""

from __future__ import annotations

import asyncio
import html
import logging

from bot.answers import answer, source_line
from bot.broadcast import BroadcastError, operator, views
from bot.broadcast.arguments import USAGE, actor, delivery_options, number
from bot.broadcast.desk import BroadcastDesk, BroadcastOptions
from bot.broadcast.notify import Approvals, preview
from bot.broadcast.posts import PostContent, split_composed
from bot.chat import Attachment
from bot.clock import Clock, utcnow
from bot.commands import Command, CommandContext, PressHandler, Role
from bot.errors import BotError
from bot.search.knowledge_base import KnowledgeBase
from bot.store import Store

log = logging.getLogger(__name__)

__all__ = ["BroadcastOptions", "Broadcasts"]


class Broadcasts(BroadcastDesk):
    """Posts, their approval and their schedules, as chat commands for moderators."""

    def __init__(
        self,
        *,
        store: Store,
        options: BroadcastOptions,
        knowledge: KnowledgeBase,
        approvals: Approvals,
        clock: Clock = utcnow,
    ) -> None:
        super().__init__(store=store, options=options, approvals=approvals, clock=clock)
        self.knowledge = knowledge

    def commands(self) -> list[Command]:
        """The broadcast commands (all in private chats)."""
        table = [
            ("soan compose", "soạn bài để phủ xanh: /soan <nội dung>", self.compose),
            (
                "soantailieu compose_doc",
                "soạn bài trích từ tài liệu đã duyệt",
                self.compose_from_knowledge,
            ),
            ("xem show", "xem trước bài: /xem <số bài>", self.show),
            ("sua edit", "sửa bài (phải duyệt lại): /sua <số> <nội dung>", self.edit),
            ("baiviet posts", "danh sách bài gần đây", self.list_posts),
            ("henlich schedule", "hẹn lịch đăng bài vào các nhóm", self.schedule),
            ("guingay sendnow", "gửi ngay bài đã duyệt: /guingay <số bài>", self.send_now),
            ("lich upcoming", "các lịch đăng sắp tới (/lich <số>: chi tiết)", self.upcoming),
            ("tamdung pause", "tạm dừng lịch: /tamdung <số lịch>", self.pause),
            ("tieptuc resume", "chạy lại lịch: /tieptuc <số lịch>", self.resume),
            ("huy cancel", "hủy lịch: /huy <số lịch>", self.cancel),
            ("baocao report", "báo cáo gửi bài: /baocao [số lần gửi]", self.report),
            ("duyet approve", "duyệt bài: /duyet <số bài>", self.approve),
            ("tuchoi reject", "từ chối bài: /tuchoi <số bài> [lý do]", self.reject),
        ]
        made = [
            Command(tuple(names.split()), Role.MODERATOR, summary, handler, private_only=True)
            for names, summary, handler in table
        ]
        made.append(
            Command(
                ("nguoiduyet", "approver"),
                Role.ADMIN,
                "cho người điều hành quyền duyệt bài: /nguoiduyet <mã số> [bo]",
                self.flag_approver,
                private_only=True,
            )
        )
        return made

    def presses(self) -> dict[str, PressHandler]:
        return {"bc": self.approvals.on_press}

    # -- posts ---------------------------------------------------------------------

    async def compose(self, ctx: CommandContext) -> None:
        text, buttons = split_composed(ctx.message.args)
        document = ctx.message.document
        if not text and document is None:
            await ctx.reply(USAGE["soan"])
            return
        attachment = None
        if document is not None:
            attachment = Attachment(document.kind, document.file_ref, document.file_name)
        await self._store_new(ctx, PostContent(text, buttons, attachment), source="")

    async def compose_from_knowledge(self, ctx: CommandContext) -> None:
        """A post quoting the approved passage that best answers a question, with its source."""
        question = ctx.message.args.strip()
        if not question:
            await ctx.reply("Soạn từ tài liệu: /soantailieu &lt;chủ đề hoặc câu hỏi&gt;")
            return
        # the search embeds the question: a worker thread, never the event loop
        found = await asyncio.to_thread(answer, self.knowledge, question)
        if not found.answered or found.best is None:
            raise BroadcastError("Không tìm thấy đoạn văn bản phù hợp trong tài liệu đã duyệt.")
        hit, source = found.best, source_line(found.best)
        quote = hit.chunk.text if len(hit.chunk.text) < 3500 else hit.snippet.text
        text = f"<blockquote>{views.esc(quote)}</blockquote>\n<i>Nguồn: {views.esc(source)}</i>"
        await self._store_new(ctx, PostContent(text), source=source)

    async def _store_new(self, ctx: CommandContext, content: PostContent, source: str) -> None:
        async def show(content: PostContent, card: str) -> None:
            await self._preview(ctx, content, card)

        post_id, awaiting = await self.submit(actor(ctx), content, source, show)
        if awaiting:
            await ctx.reply(f"Đã gửi bài {post_id} cho người duyệt. Hẹn lịch: /henlich {post_id} …")
        else:
            await ctx.reply(f"Bài {post_id} sẵn sàng. Hẹn lịch: /henlich {post_id} …")

    async def _preview(self, ctx: CommandContext, content: PostContent, card: str) -> None:
        """The preview, or the reason it could not be shown (never a silent failure)."""
        try:
            await preview(ctx.platform, ctx.message.chat_id, content, card)
        except BotError as exc:
            log.warning("preview not sent: %s", exc)
            await ctx.reply(
                f"{card}\n⚠️ Không gửi được bản xem trước: {html.escape(str(exc), quote=False)}"
            )

    async def edit(self, ctx: CommandContext) -> None:
        post_id = number(ctx.message.args, "bài")
        rest = ctx.message.args.strip().split(maxsplit=1)
        text, buttons = split_composed(rest[1] if len(rest) > 1 else "")
        if not text:
            await ctx.reply("Sửa bài: /sua &lt;số bài&gt; &lt;nội dung mới&gt;")
            return

        async def show(content: PostContent, card: str) -> None:
            await self._preview(ctx, content, card)

        await self.revise(actor(ctx), post_id, text, buttons, show)

    async def show(self, ctx: CommandContext) -> None:
        post_id = number(ctx.message.args, "bài")
        content, card = await self.store.run(operator.post_preview, self.store, post_id)
        await self._preview(ctx, content, card)

    async def list_posts(self, ctx: CommandContext) -> None:
        await ctx.reply(await self.store.run(operator.posts_text, self.store))

    # -- schedules -----------------------------------------------------------------

    async def schedule(self, ctx: CommandContext) -> None:
        await self._schedule(ctx, now_only=False)

    async def send_now(self, ctx: CommandContext) -> None:
        await self._schedule(ctx, now_only=True)

    async def _schedule(self, ctx: CommandContext, now_only: bool) -> None:
        parts = [p.strip() for p in ctx.message.args.split("|")]
        head = parts[0].split(maxsplit=1)
        if not head or not head[0].isdigit() or (not now_only and len(head) < 2):
            await ctx.reply(USAGE["guingay" if now_only else "henlich"])
            return
        silent, pin = delivery_options(parts[2] if len(parts) > 2 else "")
        where = parts[1] if len(parts) > 1 else ""
        when = None if now_only else head[1]
        await ctx.reply(await self.plan(actor(ctx), int(head[0]), when, where, silent, pin))

    async def upcoming(self, ctx: CommandContext) -> None:
        tz = self.options.timezone
        if ctx.message.args.strip():
            schedule_id = number(ctx.message.args, "lịch")
            text = await self.store.run(operator.schedule_text, self.store, schedule_id, tz)
        else:
            text = await self.store.run(operator.upcoming_text, self.store, tz)
        await ctx.reply(text)

    async def pause(self, ctx: CommandContext) -> None:
        await ctx.reply(await self.change_schedule(number(ctx.message.args, "lịch"), "pause"))

    async def resume(self, ctx: CommandContext) -> None:
        await ctx.reply(await self.change_schedule(number(ctx.message.args, "lịch"), "resume"))

    async def cancel(self, ctx: CommandContext) -> None:
        await ctx.reply(await self.change_schedule(number(ctx.message.args, "lịch"), "cancel"))

    async def report(self, ctx: CommandContext) -> None:
        args = ctx.message.args.strip()
        occurrence_id = number(args, "lần gửi") if args else None
        tz = self.options.timezone
        await ctx.reply(await self.store.run(operator.report_text, self.store, occurrence_id, tz))

    # -- approval ------------------------------------------------------------------

    async def approve(self, ctx: CommandContext) -> None:
        await self._decide(ctx, True)

    async def reject(self, ctx: CommandContext) -> None:
        await self._decide(ctx, False)

    async def _decide(self, ctx: CommandContext, yes: bool) -> None:
        post_id = number(ctx.message.args, "bài")
        words = ctx.message.args.split(maxsplit=1)
        note = words[1] if len(words) > 1 else ""
        await ctx.reply(await self.approvals.decide(actor(ctx), post_id, None, yes, note))

    async def flag_approver(self, ctx: CommandContext) -> None:
        """Admins name moderators who may approve posts (or take it back with «bo»)."""
        words = ctx.message.args.split()
        if not words or not words[0].isdigit():
            await ctx.reply("/nguoiduyet &lt;mã số người điều hành&gt; [bo]")
            return
        on = len(words) < 2 or words[1].lower() not in ("bo", "bỏ", "off")
        await ctx.reply(await self.set_approver(ctx.message.platform, words[0], on))
