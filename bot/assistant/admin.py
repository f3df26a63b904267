"""Admin commands: grant and revoke moderators, reload, upload documents, stats.

(Unanswered questions are the answer desk's: bot/answerdesk/commands.py.)"""

from __future__ import annotations

import asyncio
import html
import logging
import re
import unicodedata
from pathlib import Path

from bot import replies
from bot.assistant import records
from bot.assistant.delivery import Courier
from bot.assistant.reloading import Reloader
from bot.assistant.roles import Roles
from bot.chat import IncomingMessage, Platform
from bot.commands import Command, CommandContext, Role
from bot.errors import BotError
from bot.knowledge.scan import is_ignored
from bot.search.knowledge_base import KnowledgeBase
from bot.store import Store
from bot.text import thousands

log = logging.getLogger(__name__)

UPLOAD_SUFFIXES = (".docx", ".pdf", ".txt", ".md")
_UNSAFE = re.compile(r"[^\w.\- ]+", re.UNICODE)
_APPROVER_WORDS = {"duyet", "duyệt", "approver", "approve"}


def safe_file_name(name: str) -> str:
    """A plain file name for knowledge/: no directories, no hidden files, no odd characters."""
    # NFC first: a phone's NFD "ạ" is "a" + a combining mark, which the filter below mangles
    base = Path(unicodedata.normalize("NFC", name).replace("\\", "/")).name
    stem, dot, suffix = base.rpartition(".")
    stem = _UNSAFE.sub("_", stem if dot else base).strip(" ._") or "tai-lieu"
    return f"{stem[:120]}.{suffix.lower()}" if dot else stem[:120]


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
        name = safe_file_name(doc.file_name or "")
        if doc.kind == "photo":
            await say(
                "Ảnh không thêm được vào kho tri thức. Vui lòng gửi tệp .docx, .pdf, .txt "
                "hoặc .md; để soạn bài có ảnh, gửi ảnh kèm chú thích /soan &lt;nội dung&gt;."
            )
            return
        if not name.lower().endswith(UPLOAD_SUFFIXES):
            await say(
                f"Tôi chưa đọc được tệp «{html.escape(doc.file_name or 'không tên')}». "
                "Vui lòng gửi tệp .docx, .pdf, .txt hoặc .md."
            )
            return
        if is_ignored(name):  # README.md & co. are notes about the folder, never indexed
            await say(
                f"Tên tệp «{html.escape(name)}» được dành cho ghi chú của thư mục tài liệu "
                "nên không được đưa vào kho tri thức. Vui lòng đổi tên tệp rồi gửi lại."
            )
            return
        limit = self.max_upload_bytes
        if doc.size > limit:
            await say(f"Tệp quá lớn ({doc.size / 1e6:.1f} MB). Giới hạn là {limit / 1e6:.0f} MB.")
            return
        try:
            content = await platform.fetch_document(doc.file_ref, limit)
        except BotError as exc:
            await say(f"Không tải được tệp: {html.escape(str(exc))}")
            return
        target = self.knowledge.knowledge_dir / name
        existed = target.exists()
        await asyncio.to_thread(_write_atomically, target, content)
        log.info("admin %s uploaded %s (%d bytes)", msg.user_id, name, len(content))
        verb = "Đã thay thế" if existed else "Đã lưu"
        await say(
            f"{verb} tệp <code>{html.escape(name)}</code> ({thousands(len(content))} byte) "
            "vào kho tri thức."
        )
        if not self.reloader.start(platform, msg.chat_id, reply_to):
            await say("Đang có một lần cập nhật chạy; gõ /reload khi xong để đưa tệp này vào.")


def _write_atomically(target: Path, content: bytes) -> None:
    # a hidden temporary name: a build running meanwhile never reads a half-written file
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.part")
    tmp.write_bytes(content)
    tmp.replace(target)


def _replies_line(outcomes) -> str:
    """The courier's count of replies since the start: what /metrics shows, for admins."""
    total = {state: 0 for state in ("sent", "failed", "uncertain")}
    for (_platform, state), count in outcomes.items():
        total[state] = total.get(state, 0) + count
    return (
        f"Tin trả lời từ lúc khởi động: đã gửi {total['sent']} · không gửi được "
        f"{total['failed']} · không rõ đã tới chưa {total['uncertain']}"
    )
