"""The ASGI application: health, readiness and metrics, plus the routes adapters contribute."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from bot.server.metrics import CONTENT_TYPE, Metrics


def build_asgi(services, metrics: Metrics, routes: Sequence[BaseRoute] = ()) -> Starlette:
    """Starlette app over `services` (bot.app.Services); adapters add their own routes."""

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})  # the process serves: liveness only

    async def readyz(request: Request) -> Response:
        checks = {
            "knowledge": services.knowledge.ready,
            "database": await services.store.run(services.store.ping),
        }
        ready = all(checks.values())
        return JSONResponse(
            {"status": "ready" if ready else "not ready", "checks": checks},
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
