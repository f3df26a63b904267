"""Telegram's webhook as a route of the bot's one HTTP server, feeding PTB's update queue.

It does what PTB's own webhook server did: 403 without the right secret token header (or
without a JSON content type), 400 for a body that is no Update, 200 once the update is queued.
"""

from __future__ import annotations

import hmac
import json
import logging

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from telegram import Update
from telegram.ext import Application

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1_000_000  # an update is a few kilobytes


def webhook_route(app: Application, path: str, secret: str) -> Route:
    """POST /<path>: the route Telegram posts updates to."""

    async def receive(request: Request) -> Response:
        token = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(token.encode(), secret.encode()):
            log.warning("webhook request without the secret token refused")
            return Response(status_code=403)
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            return Response(status_code=403)
        body = await request.body()
        if len(body) > MAX_BODY:
            return Response(status_code=413)
        try:
            update = Update.de_json(json.loads(body), app.bot)
        except Exception:
            log.error("webhook body is not a Telegram update; ignored", exc_info=True)
            return Response(status_code=400)
        if update is not None:
            await app.update_queue.put(update)
        return Response(status_code=200)

    return Route("/" + path.strip("/"), receive, methods=["POST"])
