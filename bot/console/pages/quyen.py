"""Members' roles (admins only): admins (from the settings), moderators and approvers, per
platform; grant, revoke, and let a moderator approve posts — the same operations as
/capquyen, /thuhoi and /nguoiduyet (Roles.grant / revoke, Broadcasts.set_approver)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.assistant.roles import Roles
from bot.broadcast import BroadcastError
from bot.broadcast.views import local
from bot.commands import Role
from bot.console.deps import ConsoleDeps
from bot.console.identity import Viewer
from bot.console.render import NavItem
from bot.store import Chat, Moderator, Store

NAV = NavItem("/quyen", "Phân quyền", Role.ADMIN)


@dataclass(frozen=True)
class Person:
    platform: str
    user_id: str
    name: str
    approver: bool
    granted_by: str
    granted_at: str
    fixed: bool  # named in the settings: changed there, not here


def people(store: Store, roles: Roles, tz: str) -> tuple[list[Person], list[Person]]:
    """(admins, moderators), each sorted by platform then id."""
    with store.session() as session:
        rows = session.scalars(select(Moderator).order_by(Moderator.platform, Moderator.id)).all()
        ids = {r.user_id for r in rows} | {i for ids in roles.admins.values() for i in ids}
        # a private chat's title is the person's name: the best name the bot knows
        names = {
            (c.platform, c.chat_id): c.title
            for c in session.scalars(
                select(Chat).where(Chat.chat_type == "private", Chat.chat_id.in_(ids))
            )
        }
    admins = [
        Person(p, i, names.get((p, i), ""), True, "", "", True)
        for p, ids in sorted(roles.admins.items())
        for i in sorted(ids)
        if p != "console"  # the person at the terminal, not someone who signs in
    ]
    moderators = [
        Person(
            r.platform,
            r.user_id,
            r.display_name or names.get((r.platform, r.user_id), ""),
            r.approver,
            r.granted_by,
            local(r.granted_at, tz),
            False,
        )
        for r in rows
    ]
    granted = {(m.platform, m.user_id) for m in moderators}
    moderators += [
        Person(p, i, names.get((p, i), ""), False, "", "", True)
        for p, ids in sorted(roles.configured.items())
        for i in sorted(ids)
        if (p, i) not in granted
    ]
    return admins, moderators


def routes(deps: ConsoleDeps) -> list[BaseRoute]:
    parts, render = deps.parts, deps.render
    roles = parts.roles
    platforms = sorted(({"telegram"} | set(roles.admins) | set(roles.configured)) - {"console"})

    @deps.gate.require(Role.ADMIN)
    async def show(request: Request, viewer: Viewer) -> Response:
        await roles.reload()  # another replica, or chat, may have changed them
        admins, moderators = await parts.store.run(
            people, parts.store, roles, parts.config.timezone
        )
        return render.page(
            request,
            "quyen.html",
            viewer,
            title=NAV.label,
            admins=admins,
            moderators=moderators,
            platforms=platforms,
        )

    async def _who(request: Request) -> tuple[str, str] | str:
        form = await request.form()
        platform = str(form.get("nen_tang") or "telegram")
        user_id = str(form.get("ma_so") or "").strip()
        if platform not in platforms:
            return f"Không có nền tảng «{platform}»."
        if not user_id.lstrip("-").isdigit() and platform == "telegram":
            return "Mã số người dùng Telegram là một số, vd 123456789."
        if not user_id:
            return "Cần mã số người dùng."
        return platform, user_id

    @deps.gate.require(Role.ADMIN)
    async def grant(request: Request, viewer: Viewer) -> Response:
        who = await _who(request)
        if isinstance(who, str):
            return render.back("/quyen", failed=who)
        platform, user_id = who
        if roles.role_of(platform, user_id) is Role.ADMIN:
            return render.back("/quyen", failed=f"{user_id} đã là quản trị.")
        approver = (await request.form()).get("duyet") == "1"
        added = await roles.grant(platform, user_id, viewer.identity.user_id, approver)
        note = " (được duyệt bài)" if approver else ""
        verb = "Đã cấp quyền người điều hành cho" if added else "Đã là người điều hành:"
        return render.back("/quyen", told=f"{verb} {user_id} ({platform}){note}.")

    @deps.gate.require(Role.ADMIN)
    async def revoke(request: Request, viewer: Viewer) -> Response:
        who = await _who(request)
        if isinstance(who, str):
            return render.back("/quyen", failed=who)
        platform, user_id = who
        if await roles.revoke(platform, user_id):
            return render.back("/quyen", told=f"Đã thu hồi quyền điều hành của {user_id}.")
        return render.back("/quyen", failed=f"{user_id} không phải người điều hành.")

    @deps.gate.require(Role.ADMIN)
    async def approver(request: Request, viewer: Viewer) -> Response:
        who = await _who(request)
        if isinstance(who, str):
            return render.back("/quyen", failed=who)
        on = (await request.form()).get("bat") == "1"
        try:
            text = await parts.broadcasts.set_approver(*who, on)
        except BroadcastError as exc:
            return render.back("/quyen", failed=str(exc))
        return render.back("/quyen", told=text)

    return [
        Route("/quyen", show, methods=["GET"]),
        Route("/quyen/cap", grant, methods=["POST"]),
        Route("/quyen/thuhoi", revoke, methods=["POST"]),
        Route("/quyen/duyet", approver, methods=["POST"]),
    ]
