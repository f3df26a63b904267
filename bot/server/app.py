"""The ASGI application: health, readiness and metrics, plus the routes adapters contribute."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from bot.server.metrics import CONTENT_TYPE, Metrics

NO_PLATFORM = (
    "chưa cấu hình nền tảng nào (BOT_TELEGRAM_TOKEN hoặc BOT_BRIDGE_PLATFORMS): "
    "bot không phục vụ ai"
)


def build_asgi(
    services,
    metrics: Metrics,
    routes: Sequence[BaseRoute] = (),
    *,
    serves_members: Callable[[], bool] = lambda: True,
) -> Starlette:
    """Starlette app over `services` (bot.app.Services); adapters add their own routes.

    `serves_members` says whether any chat platform (Telegram, a bridge) is connected: with
    none the process runs but answers no one, and the health check says so rather than
    passing silently.
    """

    async def healthz(request: Request) -> Response:
        if not serves_members():
            return JSONResponse({"status": "no platform", "reason": NO_PLATFORM}, status_code=503)
        return JSONResponse({"status": "ok"})  # the process serves: liveness only

    async def readyz(request: Request) -> Response:
        checks = {
            "knowledge": services.knowledge.ready,
            "database": await services.store.run(services.store.ping),
        }
        parts = dict(services.parts)  # each part that can be down: name -> reason, "" when up
        checks.update({name: not reason for name, reason in parts.items()})
        ready = all(checks.values())
        # ready as soon as any complete index serves; a stale one or a failed rebuild shows here
        details = {
            "knowledge": services.knowledge.status(),
            "parts": {name: reason or "ok" for name, reason in parts.items()},
        }
        return JSONResponse(
            {"status": "ready" if ready else "not ready", "checks": checks, "details": details},
            status_code=200 if ready else 503,
        )

    async def metrics_endpoint(request: Request) -> Response:
        # the delivery gauge reads the database: not on the event loop
        body = await services.store.run(metrics.render)
        return Response(body, media_type=CONTENT_TYPE)

    return Starlette(
        routes=[
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            Route("/metrics", metrics_endpoint, methods=["GET"]),
            *routes,
        ]
    )
