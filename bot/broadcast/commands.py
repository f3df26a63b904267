"""Moderator commands for broadcasts (/soan, /henlich, /guingay, /lich, /baocao …); thin handlers.

Each handler parses its arguments, calls approval / schedules / views, and replies. Errors a
moderator can fix are BroadcastError (shown as they are by the assistant); approvals are
asked for and given with buttons whose data starts with "bc:" (see `on_press`).
"""

from __future__ import annotations

import html
from datetime import UTC, datetime

from bot.broadcast import BroadcastError, approval, schedules, views
from bot.broadcast.approval import Actor
from bot.broadcast.models import Post
from bot.broadcast.notify import notify_approvers, preview, wake_engine
from bot.broadcast.posts import PostContent, split_composed
from bot.broadcast.timeparse import ScheduleError, parse_schedule
from bot.commands import Command, CommandContext, CommandRegistry, Role
from bot.platforms.base import Attachment
from bot.store import Moderator
from bot.text import fold

USAGE = {
    "soan": "Soạn bài: /soan &lt;nội dung HTML&gt;, dòng cuối có thể là nút "
    "[Tên nút](https://…). Gửi kèm tệp thì ghi /soan ở chú thích.",
    "henlich": "Hẹn lịch: /henlich &lt;số bài&gt; &lt;thời gian&gt; | &lt;nhóm&gt; | "
    "&lt;tùy chọn&gt;\nvd: /henlich 12 20:00 25/12 | #phuong1 #phuong2 | ghim, im lặng\n"
    "Nhóm: «tất cả» (mặc định), nhãn #…, hoặc mã nhóm. Tùy chọn: «ghim», «im lặng».",
    "guingay": "Gửi ngay: /guingay &lt;số bài&gt; | &lt;nhóm&gt; | &lt;tùy chọn&gt;",
}


def actor(ctx: CommandContext) -> Actor:
    msg = ctx.message
    return Actor(msg.platform, msg.user_id, ctx.role, msg.user_name, msg.chat_id)


def _number(text: str, what: str) -> int:
    word = text.split()[0] if text.split() else ""
    if not word.isdigit():
        raise BroadcastError(f"Cần số {what}, vd «12».")
    return int(word)


def _now() -> datetime:
    return datetime.now(UTC)


async def compose(ctx: CommandContext) -> None:
    text, buttons = split_composed(ctx.message.args)
    document = ctx.message.document
    if not text and document is None:
        await ctx.reply(USAGE["soan"])
        return
    attachment = None
    if document is not None:
        attachment = Attachment(document.kind, document.file_ref, document.file_name)
    content = PostContent(text, buttons, attachment)
    await _store_new(ctx, content, source="")


async def compose_from_knowledge(ctx: CommandContext) -> None:
    """A post quoting the approved passage that best answers a question, with its source."""
    from bot.answers import answer, source_line

    question = ctx.message.args.strip()
    if not question:
        await ctx.reply("Soạn từ tài liệu: /soantailieu &lt;chủ đề hoặc câu hỏi&gt;")
        return
    found = answer(ctx.services.knowledge, question)
    if not found.answered or found.best is None:
        raise BroadcastError("Không tìm thấy đoạn văn bản phù hợp trong tài liệu đã duyệt.")
    hit, source = found.best, source_line(found.best)
    quote = hit.chunk.text if len(hit.chunk.text) < 3500 else hit.snippet.text
    text = f"<blockquote>{views.esc(quote)}</blockquote>\n<i>Nguồn: {views.esc(source)}</i>"
    await _store_new(ctx, PostContent(text), source=source)


async def _store_new(ctx: CommandContext, content: PostContent, source: str) -> None:
    settings, store = ctx.services.settings, ctx.services.store
    with store.session() as session:
        post = approval.compose(
            session, content, actor(ctx), settings.broadcast_approval_required, source
        )
        card = views.post_card(post)
        post_id, version, awaiting = post.id, post.version, post.status == approval.AWAITING
    await preview(ctx.platform, ctx.message.chat_id, content, card)
    if awaiting:
        await notify_approvers(ctx.services, post_id, version, content, exclude=ctx.message.user_id)
        await ctx.reply(f"Đã gửi bài {post_id} cho người duyệt. Hẹn lịch: /henlich {post_id} …")
    else:
        await ctx.reply(f"Bài {post_id} sẵn sàng. Hẹn lịch: /henlich {post_id} …")


async def edit(ctx: CommandContext) -> None:
    post_id = _number(ctx.message.args, "bài")
    rest = ctx.message.args.strip().split(maxsplit=1)
    text, buttons = split_composed(rest[1] if len(rest) > 1 else "")
    if not text:
        await ctx.reply("Sửa bài: /sua &lt;số bài&gt; &lt;nội dung mới&gt;")
        return
    settings, store = ctx.services.settings, ctx.services.store
    with store.session() as session:
        post = _post(session, post_id)
        content = PostContent(text, buttons, approval.content_of(post).attachment)
        approval.edit(session, post, content, actor(ctx), settings.broadcast_approval_required)
        card, version, awaiting = (
            views.post_card(post),
            post.version,
            post.status == approval.AWAITING,
        )
    await preview(ctx.platform, ctx.message.chat_id, content, card)
    if awaiting:
        await notify_approvers(ctx.services, post_id, version, content, exclude=ctx.message.user_id)


def _post(session, post_id: int) -> Post:
    post = session.get(Post, post_id)
    if post is None:
        raise BroadcastError(f"Không có bài số {post_id}.")
    return post


async def show(ctx: CommandContext) -> None:
    post_id = _number(ctx.message.args, "bài")
    with ctx.services.store.session() as session:
        post = _post(session, post_id)
        content, card = approval.content_of(post), views.post_card(post)
    await preview(ctx.platform, ctx.message.chat_id, content, card)


async def list_posts(ctx: CommandContext) -> None:
    with ctx.services.store.session() as session:
        await ctx.reply(views.posts_list(session))


def _options(text: str) -> tuple[bool, bool]:
    words = " ".join(fold(text.lower()).replace(",", " ").split())
    silent = any(w in words for w in ("im lang", "khong chuong", "silent", "yen lang"))
    pin = any(w in words for w in ("ghim", "pin"))
    unknown = words
    for w in ("im lang", "khong chuong", "silent", "yen lang", "ghim", "pin", "va"):
        unknown = unknown.replace(w, " ")
    if unknown.strip():
        raise BroadcastError(f"Không hiểu tùy chọn «{text.strip()}»: dùng «ghim», «im lặng».")
    return silent, pin


async def schedule(ctx: CommandContext) -> None:
    await _schedule(ctx, now_only=False)


async def send_now(ctx: CommandContext) -> None:
    await _schedule(ctx, now_only=True)


async def _schedule(ctx: CommandContext, now_only: bool) -> None:
    parts = [p.strip() for p in ctx.message.args.split("|")]
    head = parts[0].split(maxsplit=1)
    if not head or not head[0].isdigit() or (not now_only and len(head) < 2):
        await ctx.reply(USAGE["guingay" if now_only else "henlich"])
        return
    post_id, now = int(head[0]), _now()
    tz = ctx.services.settings.timezone
    silent, pin = _options(parts[2] if len(parts) > 2 else "")
    recurrence = None
    if not now_only:
        try:
            recurrence = parse_schedule(head[1], now, tz)
        except ScheduleError as exc:
            raise BroadcastError(str(exc)) from None
    with ctx.services.store.session() as session:
        post = _post(session, post_id)
        if now_only and post.status != approval.APPROVED:
            raise BroadcastError(f"Bài {post_id} chưa được duyệt nên chưa gửi được.")
        targets = schedules.parse_targets(session, parts[1] if len(parts) > 1 else "")
        reach = len(schedules.target_chats(session, targets))
        made = schedules.create(
            session, post, recurrence, targets, actor(ctx), now, silent=silent, pin=pin
        )
        text = (
            f"Đã tạo lịch {made.id}: {views.esc(schedules.describe_schedule(made))}.\n"
            f"Lần đầu: {views.local(made.next_due, tz)}; hiện có {reach} nhóm nhận."
        )
        if post.status != approval.APPROVED:
            text += "\n⚠️ Bài chưa được duyệt: đến giờ mà chưa duyệt thì lần đó bị bỏ qua."
    wake_engine(ctx.services)
    await ctx.reply(text)


async def upcoming(ctx: CommandContext) -> None:
    tz = ctx.services.settings.timezone
    with ctx.services.store.session() as session:
        if ctx.message.args.strip():
            found = session.get(schedules.Schedule, _number(ctx.message.args, "lịch"))
            if found is None:
                raise BroadcastError("Không có lịch này.")
            await ctx.reply(views.schedule_card(session, found, tz))
            return
        await ctx.reply(views.upcoming_list(session, schedules.upcoming(session), tz))


def _changer(action: str, done: str):
    async def handler(ctx: CommandContext) -> None:
        schedule_id = _number(ctx.message.args, "lịch")
        with ctx.services.store.session() as session:
            schedules.change(session, schedule_id, action, _now())
        await ctx.reply(f"Lịch {schedule_id} {done}.")

    return handler


async def report(ctx: CommandContext) -> None:
    args = ctx.message.args.strip()
    occurrence_id = _number(args, "lần gửi") if args else None
    with ctx.services.store.session() as session:
        await ctx.reply(views.report(session, occurrence_id, ctx.services.settings.timezone))


async def approve(ctx: CommandContext) -> None:
    await _decide(ctx, True)


async def reject(ctx: CommandContext) -> None:
    await _decide(ctx, False)


async def _decide(ctx: CommandContext, yes: bool) -> None:
    from bot.broadcast.notify import decide_and_tell

    post_id = _number(ctx.message.args, "bài")
    note = ctx.message.args.split(maxsplit=1)[1] if len(ctx.message.args.split()) > 1 else ""
    with ctx.services.store.session() as session:
        version = _post(session, post_id).version
    text = await decide_and_tell(
        ctx.services, actor(ctx), ctx.platform, post_id, version, yes, note
    )
    await ctx.reply(text)


async def flag_approver(ctx: CommandContext) -> None:
    """Admins name moderators who may approve posts (or take it back with «bo»)."""
    words = ctx.message.args.split()
    if not words or not words[0].isdigit():
        await ctx.reply("/nguoiduyet &lt;mã số người điều hành&gt; [bo]")
        return
    on = len(words) < 2 or words[1].lower() not in ("bo", "bỏ", "off")
    with ctx.services.store.session() as session:
        mod = session.query(Moderator).filter_by(platform=ctx.message.platform, user_id=words[0])
        found = mod.first()
        if found is None:
            raise BroadcastError("Người này chưa là người điều hành: cấp quyền trước (/capquyen).")
        found.approver = on
    await ctx.reply(f"Đã {'cho' if on else 'bỏ'} quyền duyệt bài: {html.escape(words[0])}.")


def register(registry: CommandRegistry) -> None:
    """Add the broadcast commands (all in private chats) and the approve/reject buttons."""
    from bot.broadcast.notify import on_press

    pause, resume = _changer("pause", "đã tạm dừng"), _changer("resume", "chạy lại")
    table = [
        ("soan compose", "soạn bài để phủ xanh: /soan <nội dung>", compose),
        ("soantailieu compose_doc", "soạn bài trích từ tài liệu đã duyệt", compose_from_knowledge),
        ("xem show", "xem trước bài: /xem <số bài>", show),
        ("sua edit", "sửa bài (phải duyệt lại): /sua <số> <nội dung>", edit),
        ("baiviet posts", "danh sách bài gần đây", list_posts),
        ("henlich schedule", "hẹn lịch đăng bài vào các nhóm", schedule),
        ("guingay sendnow", "gửi ngay bài đã duyệt: /guingay <số bài>", send_now),
        ("lich upcoming", "các lịch đăng sắp tới (/lich <số>: chi tiết)", upcoming),
        ("tamdung pause", "tạm dừng lịch: /tamdung <số lịch>", pause),
        ("tieptuc resume", "chạy lại lịch: /tieptuc <số lịch>", resume),
        ("huy cancel", "hủy lịch: /huy <số lịch>", _changer("cancel", "đã hủy")),
        ("baocao report", "báo cáo gửi bài: /baocao [số lần gửi]", report),
        ("duyet approve", "duyệt bài: /duyet <số bài>", approve),
        ("tuchoi reject", "từ chối bài: /tuchoi <số bài> [lý do]", reject),
    ]
    for names, summary, handler in table:
        registry.add(
            Command(tuple(names.split()), Role.MODERATOR, summary, handler, private_only=True)
        )
    registry.add(
        Command(
            ("nguoiduyet", "approver"),
            Role.ADMIN,
            "cho người điều hành quyền duyệt bài: /nguoiduyet <mã số> [bo]",
            flag_approver,
            private_only=True,
        )
    )
    registry.add_press("bc", on_press)
