"""What moderators in a chat, the web console and operators on the command line do, written once.

Each function is synchronous, opens one unit of work on the store and returns Telegram HTML
(the chat sends it, the CLI prints it as plain text); async callers go through
`await store.run(…)`. Errors the person can fix are BroadcastError.
"""

from __future__ import annotations

from datetime import datetime

from bot.broadcast import BroadcastError, approval, schedules, views
from bot.broadcast.approval import Actor
from bot.broadcast.models import Occurrence, Post
from bot.broadcast.posts import PostContent
from bot.broadcast.recurrence import Recurrence
from bot.broadcast.targets import parse_targets, target_chats, targets_of, unknown_tags
from bot.store import Moderator, Store


def post_of(session, post_id: int) -> Post:
    post = session.get(Post, post_id)
    if post is None:
        raise BroadcastError(f"Không có bài số {post_id}.")
    return post


def posts_text(store: Store) -> str:
    with store.session() as session:
        return views.posts_list(session)


def upcoming_text(store: Store, tz: str, limit: int = 20) -> str:
    with store.session() as session:
        return views.upcoming_list(session, schedules.upcoming(session, limit=limit), tz)


def schedule_text(store: Store, schedule_id: int, tz: str) -> str:
    with store.session() as session:
        found = session.get(schedules.Schedule, schedule_id)
        if found is None:
            raise BroadcastError(f"Không có lịch số {schedule_id}.")
        return views.schedule_card(session, found, tz)


def report_text(store: Store, occurrence_id: int | None, tz: str, limit: int = 60) -> str:
    """The delivery report of one occurrence (the latest when None)."""
    with store.session() as session:
        if occurrence_id is not None and session.get(Occurrence, occurrence_id) is None:
            raise BroadcastError(
                f"Không có lần gửi số {occurrence_id}: các lần gửi của một lịch có trong "
                "/lich &lt;số lịch&gt; (dòng lệnh: broadcast show &lt;số lịch&gt;)."
            )
        return views.report(session, occurrence_id, tz, limit)


def cancel(store: Store, schedule_id: int, now: datetime) -> str:
    with store.session() as session:
        schedules.change(session, schedule_id, "cancel", now)
    return f"Lịch {schedule_id} đã hủy."


def unknown_labels(store: Store, schedule_ids: list[int]) -> list[str]:
    """The #labels these schedules target that no active group carries (likely typos)."""
    with store.session() as session:
        found: list[str] = []
        for schedule_id in schedule_ids:
            schedule = session.get(schedules.Schedule, schedule_id)
            if schedule is not None:
                found += unknown_tags(session, targets_of(schedule))
        return list(dict.fromkeys(found))


def post_preview(store: Store, post_id: int) -> tuple[PostContent, str]:
    """A post's content and its status card."""
    with store.session() as session:
        post = post_of(session, post_id)
        return approval.content_of(post), views.post_card(post)


def decide(
    store: Store, post_id: int, version: int | None, who: Actor, yes: bool, note: str = ""
) -> tuple[Post, str]:
    """Approve or reject a post (its latest version when None); the post and the verdict."""
    with store.session() as session:
        if version is None:
            version = post_of(session, post_id).version
        post = approval.decide(session, post_id, version, who, yes, note)
    verdict = "đã được duyệt" if yes else "bị từ chối"
    return post, f"Bài {post_id} {verdict}."


def compose(
    store: Store, content: PostContent, who: Actor, approval_required: bool, source: str
) -> tuple[int, int, bool, str]:
    """Store a new post: (post id, version, awaiting approval, its card)."""
    with store.session() as session:
        post = approval.compose(session, content, who, approval_required, source)
        return post.id, post.version, post.status == approval.AWAITING, views.post_card(post)


def edit(
    store: Store, post_id: int, text: str, buttons, who: Actor, approval_required: bool
) -> tuple[PostContent, str, int, bool]:
    """A post's new version, its attachment kept: (content, card, version, awaiting approval)."""
    with store.session() as session:
        post = post_of(session, post_id)
        content = PostContent(text, buttons, approval.content_of(post).attachment)
        approval.edit(session, post, content, who, approval_required)
        awaiting = post.status == approval.AWAITING
        return content, views.post_card(post), post.version, awaiting


def schedule(
    store: Store,
    post_id: int,
    recurrence: Recurrence | None,
    where: str,
    who: Actor,
    now: datetime,
    tz: str,
    silent: bool = False,
    pin: bool = False,
) -> str:
    """Schedule a post (recurrence None: send it now) to the groups `where` names; what was
    made, with its warnings."""
    with store.session() as session:
        post = post_of(session, post_id)
        if recurrence is None and post.status != approval.APPROVED:
            raise BroadcastError(f"Bài {post_id} chưa được duyệt nên chưa gửi được.")
        targets = parse_targets(session, where)
        reach = len(target_chats(session, targets))
        made = schedules.create(
            session, post, recurrence, targets, who, now, silent=silent, pin=pin
        )
        text = (
            f"Đã tạo lịch {made.id}: {views.esc(schedules.describe_schedule(made))}.\n"
            f"Lần đầu: {views.local(made.next_due, tz)}; hiện có {reach} nhóm nhận."
        )
        if unknown := unknown_tags(session, targets):
            names = ", ".join(f"#{t}" for t in unknown)
            text += f"\n⚠️ Không nhóm nào có nhãn {views.esc(names)}."
        if post.status != approval.APPROVED:
            text += "\n⚠️ Bài chưa được duyệt: đến giờ mà chưa duyệt thì lần đó bị bỏ qua."
        return text


def reschedule(
    store: Store, schedule_id: int, recurrence: Recurrence, now: datetime, tz: str
) -> str:
    with store.session() as session:
        moved = schedules.reschedule(session, schedule_id, recurrence, now)
        return (
            f"Lịch {schedule_id}: {views.esc(schedules.describe_schedule(moved))}; "
            f"lần tới {views.local(moved.next_due, tz)}."
        )


def change(store: Store, schedule_id: int, action: str, now: datetime) -> None:
    """Pause or resume a schedule."""
    with store.session() as session:
        schedules.change(session, schedule_id, action, now)


def set_approver(store: Store, platform: str, user_id: str, on: bool) -> None:
    """Let a moderator approve posts, or take it back."""
    with store.session() as session:
        query = session.query(Moderator).filter_by(platform=platform, user_id=user_id)
        found = query.first()
        if found is None:
            raise BroadcastError("Người này chưa là người điều hành: cấp quyền trước (/capquyen).")
        found.approver = on
