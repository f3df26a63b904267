"""What moderators in a chat and operators on the command line both do, written once.

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
from bot.store import Store


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
                found += schedules.unknown_tags(session, schedules.targets_of(schedule))
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
