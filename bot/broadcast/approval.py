"""Posts and their approval: draft -> awaiting approval -> approved | rejected.

Approval is required by default (BOT_BROADCAST_APPROVAL_REQUIRED). Admins, and moderators an
admin flagged as approvers, decide; a moderator-approver may not approve their own post. An
approval is for one version of a post: editing bumps the version and sends the post back, and
any delivery of it not yet started is cancelled. The engine checks the same rule again
before sending (`deliverable`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.broadcast import BroadcastError
from bot.broadcast.models import (
    APPROVED,
    AWAITING,
    CANCELLED,
    DELIVERING,
    DRAFT,
    PENDING,
    REJECTED,
    Approval,
    Delivery,
    Occurrence,
    Post,
)
from bot.broadcast.posts import PostContent, buttons_from_data, buttons_to_data
from bot.chat import Attachment
from bot.commands import Role
from bot.store import Moderator

STATUS_VI = {
    DRAFT: "bản nháp",
    AWAITING: "chờ duyệt",
    APPROVED: "đã duyệt",
    REJECTED: "bị từ chối",
}


@dataclass(frozen=True)
class Actor:
    """Who acts: platform user, their role, and the chat to answer them in."""

    platform: str
    user_id: str
    role: Role
    name: str = ""
    chat_id: str = ""


def is_author(actor: Actor, post: Post) -> bool:
    """The same person on the same platform: Telegram user 5555 is not Mocha user 5555."""
    return (actor.platform, actor.user_id) == (post.author_platform, post.author_id)


def content_of(post: Post) -> PostContent:
    """The PostContent stored in a Post row."""
    attachment = None
    if post.attachment_kind:
        attachment = Attachment(
            kind=post.attachment_kind,  # type: ignore[arg-type]
            file_ref=post.attachment_ref,
            file_name=post.attachment_name,
        )
    return PostContent(
        text=post.text,
        buttons=buttons_from_data(json.loads(post.buttons or "[]")),
        attachment=attachment,
    )


def _store_content(post: Post, content: PostContent) -> None:
    post.text = content.text
    post.buttons = json.dumps(buttons_to_data(content.buttons), ensure_ascii=False)
    attachment = content.attachment
    post.attachment_kind = attachment.kind if attachment else ""
    post.attachment_ref = attachment.file_ref if attachment else ""
    post.attachment_name = attachment.file_name if attachment else ""


def deliverable(post: Post | None, version: int) -> bool:
    """The engine's rule: only the approved version of a post is ever delivered."""
    return post is not None and post.status == APPROVED and post.version == version


def is_approver(session: Session, actor: Actor) -> bool:
    if actor.role >= Role.ADMIN:
        return True
    flagged = session.scalar(
        select(Moderator.approver).where(
            Moderator.platform == actor.platform, Moderator.user_id == actor.user_id
        )
    )
    return bool(flagged)


def approvers(
    session: Session, admin_ids: list[int], bridge_admins: dict[str, list[str]] | None = None
) -> list[tuple[str, str]]:
    """(platform, user id) of everyone who may approve: admins of every platform (Telegram's
    and each bridge's) and flagged moderators."""
    people = [("telegram", str(uid)) for uid in admin_ids]
    for platform, ids in (bridge_admins or {}).items():
        people += [(platform, str(uid)) for uid in ids if (platform, str(uid)) not in people]
    for mod in session.scalars(select(Moderator).where(Moderator.approver.is_(True))):
        if (mod.platform, mod.user_id) not in people:
            people.append((mod.platform, mod.user_id))
    return people


def _log(session: Session, post: Post, action: str, actor: Actor | None, note: str = "") -> None:
    session.add(
        Approval(
            post_id=post.id,
            version=post.version,
            action=action,
            by_user=actor.user_id if actor else "",
            note=note,
        )
    )


def compose(
    session: Session, content: PostContent, author: Actor, approval_required: bool, source=""
) -> Post:
    """Store a checked post and submit it (auto-approved when approval is not required)."""
    content.check()
    post = Post(
        author_platform=author.platform,
        author_id=author.user_id,
        author_chat=author.chat_id,
        author_name=author.name,
        source=source,
        status=DRAFT,
        version=1,
    )
    _store_content(post, content)
    session.add(post)
    session.flush()
    _submit(session, post, author, approval_required)
    return post


def _submit(session: Session, post: Post, actor: Actor, approval_required: bool) -> None:
    if approval_required:
        post.status = AWAITING
        _log(session, post, "submitted", actor)
    else:
        post.status = APPROVED
        post.decided_by = actor.user_id
        _log(session, post, "auto", actor, "không yêu cầu duyệt")


def edit(
    session: Session, post: Post, content: PostContent, actor: Actor, approval_required: bool
) -> Post:
    """Replace a post's content: a new version, which needs approval again."""
    if actor.role < Role.ADMIN and not is_author(actor, post):
        raise BroadcastError("Chỉ tác giả hoặc quản trị viên được sửa bài này.")
    content.check()
    _store_content(post, content)
    post.version += 1
    post.decided_by, post.decision_note = "", ""
    withdraw(session, post.id, "bài đã được sửa, chờ duyệt lại")
    _submit(session, post, actor, approval_required)
    return post


def withdraw(session: Session, post_id: int, reason: str) -> int:
    """Cancel deliveries of the post that have not started; returns how many."""
    running = select(Occurrence.id).where(
        Occurrence.post_id == post_id, Occurrence.status == DELIVERING
    )
    result = session.execute(
        update(Delivery)
        .where(Delivery.occurrence_id.in_(running), Delivery.status == PENDING)
        .values(status=CANCELLED, reason=reason)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def decide(
    session: Session, post_id: int, version: int, actor: Actor, approve: bool, note: str = ""
) -> Post:
    """Approve or reject one version of a post; BroadcastError says why not."""
    post = session.get(Post, post_id)
    if post is None:
        raise BroadcastError(f"Không có bài số {post_id}.")
    if not is_approver(session, actor):
        raise BroadcastError("Bạn không có quyền duyệt bài.")
    if post.version != version:
        raise BroadcastError(
            f"Bài {post_id} đã được sửa (phiên bản {post.version}); hãy duyệt bản mới nhất."
        )
    if post.status != AWAITING:
        status = STATUS_VI[post.status]
        raise BroadcastError(f"Bài {post_id} không ở trạng thái chờ duyệt ({status}).")
    if approve and actor.role < Role.ADMIN and is_author(actor, post):
        raise BroadcastError("Người điều hành không tự duyệt bài của mình.")
    post.status = APPROVED if approve else REJECTED
    post.decided_by, post.decision_note = actor.user_id, note
    _log(session, post, "approved" if approve else "rejected", actor, note)
    if not approve:
        withdraw(session, post.id, "bài bị từ chối")
    return post
