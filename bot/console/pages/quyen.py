"""Roles: moderators and approvers per platform (admins).

Not built yet: the page says so (a placeholder in the nav's slot, replaced by the page).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.commands import Role
from bot.console.deps import ConsoleDeps
from bot.console.identity import Viewer
from bot.console.render import NavItem

NAV = NavItem("/quyen", "Phân quyền", Role.ADMIN)


def routes(deps: ConsoleDeps) -> list[BaseRoute]:
    @deps.gate.require(NAV.role)
    async def page(request: Request, viewer: Viewer) -> Response:
        return deps.render.page(request, "placeholder.html", viewer, title=NAV.label)

    return [Route(NAV.path, page, methods=["GET"])]
