"""The console as a Starlette app, mounted at /console/ on the bot's own HTTP server."""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from bot.console.access import Gate
from bot.console.deps import ConsoleDeps
from bot.console.framing import FrameAncestors
from bot.console.pages import PAGES
from bot.console.parts import ConsoleParts
from bot.console.render import Renderer

BASE = "/console"
STATIC = Path(__file__).resolve().parent / "static"


def console_app(parts: ConsoleParts) -> Starlette:
    render = Renderer([page.NAV for page in PAGES if page.NAV is not None], BASE)
    deps = ConsoleDeps(parts, Gate(parts, render), render)
    routes: list[BaseRoute] = [route for page in PAGES for route in page.routes(deps)]
    routes.append(Mount("/static", StaticFiles(directory=STATIC), name="static"))

    async def not_found(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        title = "Không tìm thấy trang" if status == 404 else "Không thực hiện được"
        return render.refusal(request, None, status, title, "Kiểm tra lại địa chỉ.")

    return Starlette(
        routes=routes,
        exception_handlers={404: not_found, 405: not_found},
        middleware=[Middleware(FrameAncestors)],
    )


def console_routes(parts: ConsoleParts) -> list[BaseRoute]:
    """The route the HTTP server adds for the console."""
    return [Mount(BASE, app=console_app(parts))]
