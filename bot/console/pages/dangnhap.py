"""Signing in and out: the one-time link from /dangnhap, and the Telegram Mini App.

    GET  /dangnhap           how to sign in (no session)
    GET  /dangnhap/<secret>  a button; the link is used only when it is pressed (POST)
    POST /dangnhap/<secret>  the link redeemed once -> a session cookie -> the console
    GET  /app                the Mini App page: sends Telegram's initData to …
    POST /app                … here, validated (bot.console.initdata) -> a session
    POST /dangxuat           the session ended

The link's form carries a token of its own cookie (bot.console.csrf). The Mini App's does
not: on web.telegram.org the page is in a cross-site frame, where no cookie set before
sign-in survives; the signed, fresh initData proves the request instead, and a form posted
from another site (to sign this browser in as someone else) is refused by Sec-Fetch-Site.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from bot.commands import Role
from bot.console import cookies, csrf, links, sessions
from bot.console.deps import ConsoleDeps
from bot.console.identity import Identity, Viewer
from bot.console.initdata import InitDataRefused, verify

NAV = None
PRE_COOKIE_SECONDS = 15 * 60
PRE_FORM_BYTES = 64 * 1024  # Telegram's initData is a few hundred bytes


def routes(deps: ConsoleDeps) -> list[BaseRoute]:
    parts, render, config = deps.parts, deps.render, deps.parts.config

    def pre_token(request: Request) -> str:
        return request.cookies.get(csrf.PRE_COOKIE) or csrf.new_token()

    def with_pre_cookie(response: Response, token: str) -> Response:
        response.set_cookie(
            csrf.PRE_COOKIE,
            token,
            max_age=PRE_COOKIE_SECONDS,
            path=deps.base,
            httponly=True,
            secure=config.secure_cookies,
            samesite="strict",
        )
        return response

    def small_form(request: Request) -> bool:
        length = request.headers.get("content-length", "")
        return length.isdigit() and int(length) <= PRE_FORM_BYTES

    async def pre_form_ok(request: Request) -> bool:
        """A small form (no files) carrying its own cookie's token."""
        if not small_form(request):
            return False
        form = await request.form(max_files=0)
        return csrf.matches(request.cookies.get(csrf.PRE_COOKIE, ""), form.get(csrf.FIELD))

    def from_this_site(request: Request) -> bool:
        """Not a form another site posts (browsers send Sec-Fetch-Site on every request;
        a client without it is no victim's browser, so it signs in only as itself)."""
        return request.headers.get("sec-fetch-site", "same-origin") in ("same-origin", "none")

    def refused(request: Request, reason: str, status: int = 403) -> Response:
        return render.refusal(request, None, status, "Không đăng nhập được", reason)

    async def signed_in(who: Identity, via: str) -> Response:
        secret = await parts.store.run(
            sessions.open_session, parts.store, who, via, parts.clock(), config.session_lifetime
        )
        response = RedirectResponse(f"{deps.base}/", 303)
        lifetime = int(config.session_lifetime.total_seconds())
        kind = cookies.session_cookie(via, config.secure_cookies)
        cookies.set_cookie(response, sessions.COOKIE, secret, lifetime, deps.base, kind)
        response.delete_cookie(csrf.PRE_COOKIE, path=deps.base)
        return response

    async def how_to(request: Request) -> Response:
        viewer = await deps.gate.viewer(request)
        return render.page(request, "signin.html", viewer, title="Đăng nhập")

    async def link_page(request: Request) -> Response:
        token = pre_token(request)
        page = render.page(request, "link.html", None, title="Đăng nhập", csrf=token)
        return with_pre_cookie(page, token)

    async def use_link(request: Request) -> Response:
        if not await pre_form_ok(request):
            return refused(request, "Biểu mẫu đã cũ. Hãy mở lại liên kết rồi bấm đăng nhập.")
        try:
            who = await parts.store.run(
                links.redeem, parts.store, request.path_params["secret"], parts.clock()
            )
        except links.LinkRefused as exc:
            return refused(request, str(exc))
        return await signed_in(who, "link")

    async def miniapp_page(request: Request) -> Response:
        return render.page(request, "miniapp.html", None, title="Đăng nhập")

    async def miniapp_sign_in(request: Request) -> Response:
        if not small_form(request) or not from_this_site(request):
            return refused(request, "Biểu mẫu không hợp lệ. Hãy mở lại trang quản trị từ bot.")
        form = await request.form(max_files=0)
        init_data = form.get("init_data")
        try:
            if not isinstance(init_data, str):
                raise InitDataRefused("Không nhận được dữ liệu Mini App.")
            signed = verify(init_data, config.bot_token, parts.clock())
        except InitDataRefused as exc:
            return refused(request, str(exc))
        return await signed_in(signed.identity, "miniapp")

    @deps.gate.require(Role.MEMBER)
    async def sign_out(request: Request, viewer: Viewer) -> Response:
        await parts.store.run(sessions.close, parts.store, request.cookies[sessions.COOKIE])
        response = RedirectResponse(f"{deps.base}/dangnhap", 303)
        for kind in cookies.all_session_cookies(config.secure_cookies):
            cookies.set_cookie(response, sessions.COOKIE, "", 0, deps.base, kind)
        return response

    return [
        Route("/dangnhap", how_to, methods=["GET"]),
        Route("/dangnhap/{secret}", link_page, methods=["GET"]),
        Route("/dangnhap/{secret}", use_link, methods=["POST"]),
        Route("/app", miniapp_page, methods=["GET"]),
        Route("/app", miniapp_sign_in, methods=["POST"]),
        Route("/dangxuat", sign_out, methods=["POST"]),
    ]
