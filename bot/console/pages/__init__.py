"""The console's pages, in nav order.

How a page declares itself: a module `bot/console/pages/<name>.py` exporting

    NAV: NavItem | None          # its slot in the nav (None: no slot, e.g. sign-in)
    def routes(deps: ConsoleDeps) -> list[BaseRoute]

with paths relative to the console (`/lich`, not `/console/lich`), each endpoint wrapped by
`deps.gate.require(role, approver=…)` (signed in, role, CSRF on every POST) and rendered
with `deps.render.page(request, "<name>.html", viewer, …)`; templates extend `base.html`.
Then add the module to PAGES below. Nothing else needs changing.
"""

from __future__ import annotations

from bot.console.pages import baocao, cauhoi, dangnhap, duyet, home, lich, quyen, tailieu

PAGES = (home, duyet, lich, baocao, tailieu, cauhoi, quyen, dangnhap)
