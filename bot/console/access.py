"""The server-side check before every console action: signed in, the role, the CSRF token.

A page wraps each endpoint with `deps.gate.require(role, approver=…)`; the wrapper finds the
session, reads the person's role for this request (a revoked moderator is refused at once),
and for anything but GET checks the form's CSRF token before the handler runs. The
handler is called as `handler(request, viewer)`.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.commands import Role
from bot.console import csrf, sessions
from bot.console.identity import Viewer
from bot.console.parts import ConsoleParts
from bot.console.render import Renderer
from bot.store import Moderator

Endpoint = Callable[[Request], Awaitable[Response]]
PageHandler = Callable[[Request, Viewer], Awaitable[Response]]
SAFE_METHODS = frozenset({"GET", "HEAD"})


class Gate:
    """Who is asking, and whether they may."""

    def __init__(self, parts: ConsoleParts, render: Renderer) -> None:
        self.parts = parts
        self.render = render

    async def viewer(self, request: Request) -> Viewer | None:
        secret = request.cookies.get(sessions.COOKIE, "")
        if not secret:
            return None
        store = self.parts.store
        found = await store.run(_look_up, store, secret, self.parts.clock())
        if found is None:
            return None
        opened, flagged = found
        who = opened.identity
        role = self.parts.roles.role_of(who.platform, who.user_id)
        return Viewer(who, role, approver=role >= Role.ADMIN or flagged, csrf=opened.csrf)

    def require(
        self, role: Role = Role.MODERATOR, *, approver: bool = False
    ) -> Callable[[PageHandler], Endpoint]:
        def wrap(handler: PageHandler) -> Endpoint:
            @functools.wraps(handler)
            async def endpoint(request: Request) -> Response:
                try:
                    return await checked(request)
                finally:
                    await request.close()  # an uploaded file's temporary copy, at once

            async def checked(request: Request) -> Response:
                viewer = await self.viewer(request)
                if viewer is None:
                    if request.method in SAFE_METHODS:
                        return RedirectResponse(f"{self.render.base}/dangnhap", 303)
                    return self.render.refusal(
                        request, None, 401, "Chưa đăng nhập", "Phiên đăng nhập đã hết hạn."
                    )
                if not viewer.may(role, approver):
                    return self.render.refusal(
                        request,
                        viewer,
                        403,
                        "Không có quyền",
                        f"Việc này cần quyền cao hơn quyền của bạn ({viewer.role_name}).",
                    )
                if request.method not in SAFE_METHODS and not _small_enough(
                    request, self.parts.config.max_body_bytes
                ):
                    return self.render.refusal(
                        request,
                        viewer,
                        413,
                        "Quá lớn",
                        "Tệp hoặc biểu mẫu quá lớn để nhận.",
                    )
                if request.method not in SAFE_METHODS and not await _csrf_ok(request, viewer):
                    return self.render.refusal(
                        request,
                        viewer,
                        403,
                        "Biểu mẫu không hợp lệ",
                        "Biểu mẫu đã cũ hoặc không xuất phát từ trang quản trị. "
                        "Hãy tải lại trang rồi thử lại.",
                    )
                return await handler(request, viewer)

            return endpoint

        return wrap


def _small_enough(request: Request, limit: int) -> bool:
    """A body announced within the limit (browsers announce every form's length): nothing
    larger is read, let alone spooled to disk, before it is refused."""
    length = request.headers.get("content-length", "")
    return length.isdigit() and int(length) <= limit


async def _csrf_ok(request: Request, viewer: Viewer) -> bool:
    submitted = request.headers.get(csrf.HEADER)
    if submitted is None:
        form = await request.form()  # cached by Starlette: the handler reads it again free
        submitted = form.get(csrf.FIELD)
    return csrf.matches(viewer.csrf, submitted)


def _look_up(store, secret: str, now) -> tuple[sessions.Opened, bool] | None:
    opened = sessions.find(store, secret, now)
    if opened is None:
        return None
    who = opened.identity
    with store.session() as session:
        flagged = session.scalar(
            select(Moderator.approver).where(
                Moderator.platform == who.platform, Moderator.user_id == who.user_id
            )
        )
    return opened, bool(flagged)
