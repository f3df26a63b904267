"""Pages as HTML: the Jinja2 templates (autoescaped), the nav each viewer may see, the base path."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse

from bot.commands import Role
from bot.console.identity import Viewer

TOLD, FAILED = "tb", "loi"  # query parameters a page shows after a redirect
TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class NavItem:
    """A page's slot in the nav: shown only to those who may open the page."""

    path: str  # under the console's base, e.g. "/lich"
    label: str  # Vietnamese
    role: Role = Role.MODERATOR
    approver: bool = False


class Renderer:
    """Renders a template with what every page shows: the viewer, the nav, the CSRF token."""

    def __init__(self, nav: Sequence[NavItem], base: str = "/console") -> None:
        self.nav = tuple(nav)
        self.base = base
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(TEMPLATES),
            autoescape=True,  # every value a person typed is escaped unless marked safe
            undefined=jinja2.StrictUndefined,  # a misspelt name fails the test, not the page
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def page(
        self,
        request: Request,
        template: str,
        viewer: Viewer | None,
        *,
        status: int = 200,
        csrf: str = "",
        **context: Any,
    ) -> HTMLResponse:
        nav = [item for item in self.nav if viewer and viewer.may(item.role, item.approver)]
        html = self.env.get_template(template).render(
            base=self.base,
            path=request.url.path,
            viewer=viewer,
            nav=nav,
            csrf=viewer.csrf if viewer else csrf,
            told=request.query_params.get(TOLD, ""),  # what the last action did
            failed=request.query_params.get(FAILED, ""),  # or why it could not
            **context,
        )
        return HTMLResponse(html, status_code=status, headers=NO_STORE)

    def back(self, path: str, told: str = "", failed: str = "") -> RedirectResponse:
        """After a form: back to a page (post/redirect/get), saying what happened."""
        query = urlencode({k: v for k, v in ((TOLD, told), (FAILED, failed)) if v})
        joiner = "&" if "?" in path else "?"
        return RedirectResponse(f"{self.base}{path}" + (joiner + query if query else ""), 303)

    def refusal(
        self, request: Request, viewer: Viewer | None, status: int, title: str, reason: str
    ) -> HTMLResponse:
        return self.page(request, "refused.html", viewer, status=status, title=title, reason=reason)


# console pages show who may do what: a shared computer's back button must not show them
NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
