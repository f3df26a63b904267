"""Approval queue: posts awaiting approval, previewed as members will see them; approve or
reject with a reason (approvers), edit a post (back to the approvers, as /sua in chat).

Decisions and edits go through the broadcast feature chat uses (Approvals.decide,
Broadcasts.revise): the author is told, the delivery engine woken, an edited post withdrawn
from deliveries not yet started — exactly as with /duyet, /tuchoi and /sua.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot import markup
from bot.broadcast import BroadcastError, approval
from bot.broadcast.models import Post
from bot.broadcast.posts import buttons_from_data, parse_buttons
from bot.broadcast.views import local
from bot.commands import Role
from bot.console.deps import ConsoleDeps
from bot.console.identity import Viewer
from bot.console.render import NavItem
from bot.errors import BotError
from bot.store import Store

NAV = NavItem("/duyet", "Duyệt bài", Role.MODERATOR)
PAGE_SIZE = 50
MAX_PHOTO_BYTES = 10_000_000
_IMAGE_TYPES = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG": "image/png", b"GIF8": "image/gif"}


@dataclass(frozen=True)
class PostView:
    """A post as the console shows it: the members' view and who/what/when."""

    id: int
    version: int
    status: str
    html: str  # the text as Telegram renders it, safe for the page
    photo: str  # where the browser gets the photo ("" without one)
    document: str  # an attached file's name
    buttons: tuple[tuple[tuple[str, str], ...], ...]  # rows of (label, url)
    author: str
    created: str
    source: str
    note: str
    mine: bool  # the viewer wrote it
    may_decide: bool  # an approver, and not a moderator's own post (approval.decide's rule)


def _view(post: Post, viewer: Viewer, base: str, tz: str) -> PostView:
    photo = ""
    if post.attachment_kind == "photo":
        ref = post.attachment_ref
        photo = ref if ref.startswith(("http://", "https://")) else f"{base}/duyet/anh/{post.id}"
    rows = buttons_from_data(_json_rows(post.buttons))
    mine = approval.is_author(viewer.actor(), post)
    return PostView(
        id=post.id,
        version=post.version,
        status=approval.STATUS_VI[post.status],
        html=markup.web_html(post.text),
        photo=photo,
        document=post.attachment_name if post.attachment_kind == "document" else "",
        buttons=tuple(tuple((b.text, b.url or "") for b in row) for row in rows),
        author=post.author_name or post.author_id,
        created=local(post.created_at, tz),
        source=post.source,
        note=post.decision_note,
        mine=mine,
        may_decide=viewer.approver and (viewer.role >= Role.ADMIN or not mine),
    )


def _json_rows(raw: str) -> list:
    return json.loads(raw or "[]")


def queue(store: Store, viewer: Viewer, base: str, tz: str, page: int):
    """(awaiting posts of this page, how many await, recently approved posts)."""
    with store.session() as session:
        waiting = select(Post).where(Post.status == approval.AWAITING)
        total = session.scalar(select(func.count()).select_from(waiting.subquery())) or 0
        rows = session.scalars(
            waiting.order_by(Post.created_at, Post.id).offset(page * PAGE_SIZE).limit(PAGE_SIZE)
        ).all()
        approved = session.scalars(
            select(Post)
            .where(Post.status == approval.APPROVED)
            .order_by(Post.updated_at.desc(), Post.id.desc())
            .limit(10)
        ).all()
        return (
            [_view(p, viewer, base, tz) for p in rows],
            total,
            [_view(p, viewer, base, tz) for p in approved],
        )


def one_post(store: Store, post_id: int, viewer: Viewer, base: str, tz: str):
    with store.session() as session:
        post = session.get(Post, post_id)
        if post is None:
            return None, ""
        rows = buttons_from_data(_json_rows(post.buttons))
        lines = "\n".join(" ".join(f"[{b.text}]({b.url})" for b in row) for row in rows)
        return _view(post, viewer, base, tz), (post.text, lines, post.attachment_kind)


def photo_of(store: Store, post_id: int) -> tuple[str, str, str] | None:
    """(platform, kind, reference) of a post's photo."""
    with store.session() as session:
        post = session.get(Post, post_id)
        if post is None or post.attachment_kind != "photo":
            return None
        return post.author_platform, post.attachment_kind, post.attachment_ref


def routes(deps: ConsoleDeps) -> list[BaseRoute]:
    parts, render = deps.parts, deps.render
    tz = parts.config.timezone

    @deps.gate.require(Role.MODERATOR)
    async def show_queue(request: Request, viewer: Viewer) -> Response:
        page = max(0, int(request.query_params.get("trang", "0") or 0))
        posts, total, approved = await parts.store.run(
            queue, parts.store, viewer, deps.base, tz, page
        )
        return render.page(
            request,
            "duyet.html",
            viewer,
            title=NAV.label,
            posts=posts,
            total=total,
            page=page,
            pages=(total + PAGE_SIZE - 1) // PAGE_SIZE,
            approved=approved,
        )

    async def _decide(request: Request, viewer: Viewer, yes: bool) -> Response:
        post_id = int(request.path_params["post"])
        form = await request.form()
        note = str(form.get("ly_do") or "").strip()
        if not yes and not note:
            return render.back("/duyet", failed=f"Từ chối bài {post_id}: cần ghi lý do.")
        try:
            version = int(str(form.get("phien_ban", "")))
            text = await parts.broadcasts.approvals.decide(
                viewer.actor(), post_id, version, yes, note
            )
        except ValueError:
            return render.back("/duyet", failed="Biểu mẫu thiếu phiên bản bài.")
        except BroadcastError as exc:
            return render.back("/duyet", failed=str(exc))
        return render.back("/duyet", told=text)

    @deps.gate.require(Role.MODERATOR, approver=True)
    async def approve(request: Request, viewer: Viewer) -> Response:
        return await _decide(request, viewer, True)

    @deps.gate.require(Role.MODERATOR, approver=True)
    async def reject(request: Request, viewer: Viewer) -> Response:
        return await _decide(request, viewer, False)

    @deps.gate.require(Role.MODERATOR)
    async def edit_form(request: Request, viewer: Viewer) -> Response:
        post_id = int(request.path_params["post"])
        post, (text, buttons, _) = await parts.store.run(
            _or_blank, parts.store, post_id, viewer, deps.base, tz
        )
        if post is None:
            return render.back("/duyet", failed=f"Không có bài số {post_id}.")
        return render.page(
            request,
            "sua.html",
            viewer,
            title=f"Sửa bài {post_id}",
            post=post,
            text=request.query_params.get("noi_dung", text),
            buttons=buttons,
        )

    @deps.gate.require(Role.MODERATOR)
    async def edit(request: Request, viewer: Viewer) -> Response:
        post_id = int(request.path_params["post"])
        form = await request.form()
        text = str(form.get("noi_dung") or "").strip()
        buttons = parse_buttons(str(form.get("nut") or ""))
        try:
            if not text:
                raise BroadcastError("Nội dung bài không được để trống.")
            await parts.broadcasts.revise(viewer.actor(), post_id, text, buttons)
        except BroadcastError as exc:
            return render.back(f"/duyet/{post_id}/sua", failed=str(exc))
        return render.back("/duyet", told=f"Đã sửa bài {post_id}: bài chờ duyệt lại.")

    @deps.gate.require(Role.MODERATOR)
    async def photo(request: Request, viewer: Viewer) -> Response:
        found = await parts.store.run(photo_of, parts.store, int(request.path_params["post"]))
        if found is None:
            return Response(status_code=404)
        platform_name, _, ref = found
        try:
            if Path(ref).is_absolute():
                data = await asyncio.to_thread(Path(ref).read_bytes)
            else:
                platform = parts.platforms.get(platform_name)
                if platform is None:
                    return Response(status_code=404)
                data = await platform.fetch_document(ref, MAX_PHOTO_BYTES)
        except (BotError, OSError):
            return Response(status_code=404)
        kind = next((t for magic, t in _IMAGE_TYPES.items() if data.startswith(magic)), "")
        if not kind:
            return Response(status_code=415)
        return Response(data, media_type=kind, headers={"Cache-Control": "private, max-age=300"})

    return [
        Route("/duyet", show_queue, methods=["GET"]),
        Route("/duyet/{post:int}/duyet", approve, methods=["POST"]),
        Route("/duyet/{post:int}/tuchoi", reject, methods=["POST"]),
        Route("/duyet/{post:int}/sua", edit_form, methods=["GET"]),
        Route("/duyet/{post:int}/sua", edit, methods=["POST"]),
        Route("/duyet/anh/{post:int}", photo, methods=["GET"]),
    ]


def _or_blank(store: Store, post_id: int, viewer: Viewer, base: str, tz: str):
    post, fields = one_post(store, post_id, viewer, base, tz)
    return post, fields or ("", "", "")
