"""The console's first page: what waits for the viewer (posts to approve, what is scheduled)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.commands import Role
from bot.console.deps import ConsoleDeps
from bot.console.identity import Viewer
from bot.console.render import NavItem

NAV = NavItem("/", "Tổng quan", Role.MODERATOR)


def routes(deps: ConsoleDeps) -> list[BaseRoute]:
    @deps.gate.require(Role.MODERATOR)
    async def home(request: Request, viewer: Viewer) -> Response:
        return deps.render.page(request, "home.html", viewer, title="Tổng quan")

    return [Route("/", home, methods=["GET"])]
