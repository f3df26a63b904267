"""Delivery reports: every occurrence with its totals and a chart; per occurrence, each
group's outcome (sent / failed with the reason / uncertain) and a CSV export."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.commands import Role
from bot.console import reports
from bot.console.charts import Series, stacked_bars
from bot.console.deps import ConsoleDeps
from bot.console.identity import Viewer
from bot.console.render import NavItem

NAV = NavItem("/baocao", "Báo cáo", Role.MODERATOR)


def _chart(rows: list[reports.OccurrenceRow], title: str) -> str:
    labels = [f"Lần {r.id}" for r in rows]
    series = [
        Series(name, css, [r.counts[status] for r in rows]) for status, name, css in reports.KINDS
    ]
    return stacked_bars(labels, series, title)


def routes(deps: ConsoleDeps) -> list[BaseRoute]:
    parts, render = deps.parts, deps.render
    tz = parts.config.timezone

    @deps.gate.require(Role.MODERATOR)
    async def listing(request: Request, viewer: Viewer) -> Response:
        page = max(0, int(request.query_params.get("trang", "0") or 0))
        rows, total = await parts.store.run(reports.recent, parts.store, tz, page)
        sums = {status: sum(r.counts[status] for r in rows) for status, _, _ in reports.KINDS}
        title = "Kết quả gửi của các lần gửi trên trang này, theo số nhóm"
        return render.page(
            request,
            "baocao.html",
            viewer,
            title=NAV.label,
            rows=rows,
            total=total,
            sums=sums,
            kinds=reports.KINDS,
            chart=_chart(rows, title) if rows else "",
            page=page,
            pages=(total + reports.PAGE_SIZE - 1) // reports.PAGE_SIZE,
        )

    @deps.gate.require(Role.MODERATOR)
    async def detail(request: Request, viewer: Viewer) -> Response:
        occurrence_id = int(request.path_params["id"])
        found = await parts.store.run(reports.one, parts.store, tz, occurrence_id)
        if found is None:
            return render.refusal(request, viewer, 404, "Không có lần gửi này", "")
        occurrence, groups = found
        title = f"Kết quả lần gửi {occurrence.id}: số nhóm theo trạng thái"
        return render.page(
            request,
            "baocao_lan.html",
            viewer,
            title=f"Lần gửi {occurrence.id}",
            occ=occurrence,
            groups=groups,
            kinds=reports.KINDS,
            chart=_chart([occurrence], title),
        )

    @deps.gate.require(Role.MODERATOR)
    async def export(request: Request, viewer: Viewer) -> Response:
        occurrence_id = int(request.path_params["id"])
        found = await parts.store.run(reports.one, parts.store, tz, occurrence_id)
        if found is None:
            return Response(status_code=404)
        body = reports.as_csv(*found)
        return Response(
            body,
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="bao-cao-lan-{occurrence_id}.csv"',
                "Cache-Control": "no-store",
            },
        )

    return [
        Route("/baocao", listing, methods=["GET"]),
        Route("/baocao/{id:int}", detail, methods=["GET"]),
        Route("/baocao/{id:int}.csv", export, methods=["GET"]),
    ]
