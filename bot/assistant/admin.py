"""Admin commands: grant and revoke moderators, reload, upload documents, stats.

(Unanswered questions are the answer desk's: bot/answerdesk/commands.py.)"""

from __future__ import annotations

import asyncio
import html
import logging

from bot import replies
from bot.assistant import records
from bot.assistant.delivery import Courier
from bot.assistant.reloading import Reloader
from bot.assistant.roles import Roles
from bot.assistant.uploads import UPLOAD_KINDS_VI, UploadRefused, check_upload, save_upload
from bot.chat import IncomingMessage, Platform
from bot.commands import Command, CommandContext, Role
from bot.errors import BotError
from bot.search.knowledge_base import KnowledgeBase
from bot.store import Store
from bot.text import thousands

log = logging.getLogger(__name__)

_APPROVER_WORDS = {"duyet", "duyệt", "approver", "approve"}


class AdminCommands:
    """The admin side of the assistant; handlers are registered into the CommandRegistry."""

    def __init__(
        self,
        *,
        store: Store,
        knowledge: KnowledgeBase,
        roles: Roles,
        reloader: Reloader,
        courier: Courier,
        timezone: str,
        max_upload_bytes: int,
    ) -> None:
        self.store = store
        self.knowledge = knowledge
        self.roles = roles
        self.reloader = reloader
        self.courier = courier
        self.timezone = timezone
        self.max_upload_bytes = max_upload_bytes

    def commands(self) -> list[Command]:
        return [
            Command(
                ("capquyen", "grant"),
                Role.ADMIN,
                "cấp quyền điều hành: trả lời tin nhắn của người đó, hoặc /grant <mã số>",
                self.grant,
            ),
            Command(
                ("thuhoi", "revoke"),
                Role.ADMIN,
                "thu hồi quyền điều hành (trả lời tin nhắn, hoặc /revoke <mã số>)",
                self.revoke,
            ),
            Command(
                ("capnhat", "reload"),
                Role.ADMIN,
                "cập nhật kho tri thức từ thư mục tài liệu (gửi tệp cho tôi để thêm tài liệu)",
                self.reload,
            ),
            Command(("thongke", "stats"), Role.ADMIN, "thống kê sử dụng", self.stats),
        ]

    def _target(self, ctx: CommandContext) -> str | None:
        """The user a grant or revoke is about: the replied-to author, or a numeric id."""
        first = ctx.message.args.split()[0] if ctx.message.args.split() else ""
        if first.lstrip("-").isdigit():
            return str(int(first))
        return ctx.message.reply_to_user_id

    async def grant(self, ctx: CommandContext) -> None:
        target = self._target(ctx)
        if target is None:
            await ctx.reply(
                "Cú pháp: trả lời (reply) một tin nhắn của người đó bằng /grant, "
                "hoặc /grant &lt;mã số người dùng&gt; [duyet]."
            )
            return
        platform = ctx.message.platform
        if self.roles.role_of(platform, target) is Role.ADMIN:
            await ctx.reply(f"<code>{target}</code> đã là quản trị.")
            return
        approver = bool(_APPROVER_WORDS & {w.lower() for w in ctx.message.args.split()[1:]})
        added = await self.roles.grant(platform, target, ctx.message.user_id, approver)
        log.info("admin %s granted moderator to %s", ctx.message.user_id, target)
        note = " (được duyệt bài)" if approver else ""
        if added:
            await ctx.reply(f"Đã cấp quyền người điều hành cho <code>{target}</code>{note}.")
        else:
            await ctx.reply(f"<code>{target}</code> đã là người điều hành{note}.")

    async def revoke(self, ctx: CommandContext) -> None:
        target = self._target(ctx)
        if target is None:
            await ctx.reply(
                "Cú pháp: trả lời (reply) một tin nhắn của người đó bằng /revoke, "
                "hoặc /revoke &lt;mã số người dùng&gt;."
            )
            return
        removed = await self.roles.revoke(ctx.message.platform, target)
        log.info("admin %s revoked moderator from %s", ctx.message.user_id, target)
        if removed:
            await ctx.reply(f"Đã thu hồi quyền điều hành của <code>{target}</code>.")
        else:
            await ctx.reply(f"<code>{target}</code> không phải người điều hành.")

    async def reload(self, ctx: CommandContext) -> None:
        msg = ctx.message
        if not self.reloader.start(ctx.platform, msg.chat_id, msg.message_id or None):
            await ctx.reply(replies.RELOAD_BUSY)

    async def stats(self, ctx: CommandContext) -> None:
        usage = await self.store.run(records.counts, self.store)
        index = self.knowledge.index
        documents = len(index.manifest.documents) if index else 0
        chunks = len(index.chunks) if index else 0
        text = replies.render_stats(usage, documents, chunks)
        await ctx.reply(f"{text}\n{_replies_line(self.courier.outcomes)}")

    async def upload(self, msg: IncomingMessage, platform: Platform) -> None:
        """An admin sent a document in a private chat: save it into knowledge/ and reload."""
        doc = msg.document
        assert doc is not None
        reply_to = msg.message_id or None

        async def say(text: str) -> None:
            await self.courier.send(platform, msg.chat_id, text, reply_to)

        if self.roles.role_of(msg.platform, msg.user_id) is not Role.ADMIN:
            await say(replies.TEXT_ONLY)
            return
        if doc.kind == "photo":
            await say(
                "Ảnh không thêm được vào kho tri thức. Vui lòng gửi tệp "
                f"{UPLOAD_KINDS_VI}; để soạn bài có ảnh, gửi ảnh kèm chú thích "
                "/soan &lt;nội dung&gt;."
            )
            return
        limit = self.max_upload_bytes
        try:
            name = check_upload(doc.file_name or "", doc.size, limit)
        except UploadRefused as exc:
            await say(str(exc))
            return
        try:
            content = await platform.fetch_document(doc.file_ref, limit)
        except BotError as exc:
            await say(f"Không tải được tệp: {html.escape(str(exc))}")
            return
        existed = await asyncio.to_thread(save_upload, self.knowledge.knowledge_dir, name, content)
        log.info("admin %s uploaded %s (%d bytes)", msg.user_id, name, len(content))
        verb = "Đã thay thế" if existed else "Đã lưu"
        await say(
            f"{verb} tệp <code>{html.escape(name)}</code> ({thousands(len(content))} byte) "
            "vào kho tri thức."
        )
        if not self.reloader.start(platform, msg.chat_id, reply_to):
            await say("Đang có một lần cập nhật chạy; gõ /reload khi xong để đưa tệp này vào.")


def _replies_line(outcomes) -> str:
    """The courier's count of replies since the start: what /metrics shows, for admins."""
    total = {state: 0 for state in ("sent", "failed", "uncertain")}
    for (_platform, state), count in outcomes.items():
        total[state] = total.get(state, 0) + count
    return (
        f"Tin trả lời từ lúc khởi động: đã gửi {total['sent']} · không gửi được "
        f"{total['failed']} · không rõ đã tới chưa {total['uncertain']}"
    )
