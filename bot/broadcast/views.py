"""What moderators read about broadcasts: post cards, the upcoming list, delivery reports."""

from __future__ import annotations

import html
from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.broadcast.approval import STATUS_VI as POST_STATUS_VI
from bot.broadcast.models import (
    APPROVED,
    CANCELLED,
    DELIVERING,
    DONE,
    FAILED,
    MISSED,
    PENDING,
    SENDING,
    SENT,
    SKIPPED,
    UNCERTAIN,
    Delivery,
    Occurrence,
    Post,
    Schedule,
)
from bot.broadcast.posts import plain_summary
from bot.broadcast.schedules import STATUS_VI as SCHEDULE_STATUS_VI
from bot.broadcast.schedules import describe_schedule
from bot.store import Chat

DELIVERY_VI = {
    PENDING: "chờ gửi",
    SENDING: "đang gửi",
    SENT: "đã gửi",
    FAILED: "lỗi",
    UNCERTAIN: "không rõ đã tới chưa",
    CANCELLED: "đã hủy",
}
OCCURRENCE_VI = {
    DELIVERING: "đang gửi",
    DONE: "xong",
    MISSED: "lỡ giờ",
    SKIPPED: "bỏ qua",
    CANCELLED: "đã hủy",
}


def esc(text: str) -> str:
    return html.escape(text, quote=False)


def local(at: datetime | None, tz: str) -> str:
    return "—" if at is None else at.astimezone(ZoneInfo(tz)).strftime("%H:%M %d/%m/%Y")


def post_card(post: Post) -> str:
    """One post's status line, for the message under a preview."""
    lines = [
        f"<b>Bài số {post.id}</b> (phiên bản {post.version}): {POST_STATUS_VI[post.status]}",
        f"Tác giả: {esc(post.author_name or post.author_id)}",
    ]
    if post.source:
        lines.append(f"Nguồn: {esc(post.source)}")
    if post.decision_note:
        lines.append(f"Ghi chú duyệt: {esc(post.decision_note)}")
    return "\n".join(lines)


def posts_list(session: Session, limit: int = 15) -> str:
    posts = session.scalars(select(Post).order_by(Post.id.desc()).limit(limit)).all()
    if not posts:
        return "Chưa có bài nào. Soạn bài: /soan &lt;nội dung&gt;"
    lines = ["<b>Bài viết gần đây</b>"]
    for post in posts:
        summary = esc(plain_summary(post.text, 50))
        lines.append(f"{post.id}. [{POST_STATUS_VI[post.status]}] {summary}")
    return "\n".join(lines)


def upcoming_list(session: Session, schedules: list[Schedule], tz: str) -> str:
    """The /lich answer: each schedule's next due time, what and where."""
    if not schedules:
        return "Không có lịch đăng bài nào sắp tới."
    lines = ["<b>Lịch đăng bài sắp tới</b>"]
    for schedule in schedules:
        post = session.get(Post, schedule.post_id)
        summary = esc(plain_summary(post.text, 40)) if post else "?"
        paused = " — <i>tạm dừng</i>" if schedule.status != "active" else ""
        lines.append(
            f"• Lịch {schedule.id}: {local(schedule.next_due, tz)}{paused}\n"
            f"  bài {schedule.post_id} «{summary}»; {esc(describe_schedule(schedule))}"
        )
    return "\n".join(lines)


def schedule_card(session: Session, schedule: Schedule, tz: str) -> str:
    recent = session.scalars(
        select(Occurrence)
        .where(Occurrence.schedule_id == schedule.id)
        .order_by(Occurrence.due_at.desc())
        .limit(5)
    ).all()
    status = SCHEDULE_STATUS_VI[schedule.status]
    post = session.get(Post, schedule.post_id)
    if schedule.status == "active" and post is not None and post.status != APPROVED:
        # an active schedule of an unapproved post sends nothing: say so, not "đang chạy"
        status = f"bài {POST_STATUS_VI[post.status]}: chưa gửi cho đến khi được duyệt"
    lines = [
        f"<b>Lịch {schedule.id}</b> ({status}), bài {schedule.post_id}",
        esc(describe_schedule(schedule)),
        f"Lần tới: {local(schedule.next_due, tz)}",
    ]
    for occ in recent:
        note = f" — {esc(occ.note)}" if occ.note else ""
        lines.append(f"• Lần {occ.id}: {local(occ.due_at, tz)} {OCCURRENCE_VI[occ.status]}{note}")
    return "\n".join(lines)


def report(session: Session, occurrence_id: int | None, tz: str, limit: int = 60) -> str:
    """Delivery report of one occurrence (the latest when None): counts, then per group."""
    query = select(Occurrence)
    if occurrence_id is None:
        occ = session.scalar(query.order_by(Occurrence.due_at.desc(), Occurrence.id.desc()))
    else:
        occ = session.get(Occurrence, occurrence_id)
    if occ is None:
        return "Chưa có lần gửi nào." if occurrence_id is None else "Không có lần gửi này."
    rows = session.execute(
        select(Delivery, Chat.title)
        .join(Chat, Delivery.chat_ref == Chat.id)
        .where(Delivery.occurrence_id == occ.id)
        .order_by(Delivery.status, Delivery.id)
    ).all()
    counts = Counter(d.status for d, _ in rows)
    summary = ", ".join(f"{DELIVERY_VI[s]}: {n}" for s, n in sorted(counts.items()))
    lines = [
        f"<b>Báo cáo lần gửi {occ.id}</b> (lịch {occ.schedule_id}, bài {occ.post_id} "
        f"phiên bản {occ.post_version})",
        f"Đến hạn {local(occ.due_at, tz)} — {OCCURRENCE_VI[occ.status]}",
        f"{len(rows)} nhóm: {summary or 'không có nhóm nào'}",
    ]
    if occ.note:
        lines.append(esc(occ.note))
    # The groups a moderator must act on come first; a long list of "sent" adds little.
    shown = [(d, t) for d, t in rows if d.status != SENT] + [
        (d, t) for d, t in rows if d.status == SENT
    ]
    for delivery, title in shown[:limit]:
        reason = f": {esc(delivery.reason)}" if delivery.reason and delivery.status != SENT else ""
        lines.append(f"• {esc(title or delivery.chat_id)} — {DELIVERY_VI[delivery.status]}{reason}")
    if len(shown) > limit:
        lines.append(f"… và {len(shown) - limit} nhóm khác")
    return "\n".join(lines)


def count_pending(session: Session) -> int:
    return int(session.scalar(select(func.count(Delivery.id)).where(Delivery.status == PENDING)))
