"""Building the bridge from Settings: one BridgePlatform per connector, and its HTTP routes."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bot.assistant.core import Assistant
from bot.chat import Platform
from bot.platforms.bridge.directory import PrivateChats
from bot.platforms.bridge.endpoint import BridgeEndpoint
from bot.platforms.bridge.openapi import document
from bot.platforms.bridge.platform import BridgePlatform
from bot.platforms.bridge.replay import ReplayGuard
from bot.settings import Settings
from bot.store import Store

log = logging.getLogger(__name__)

UPDATES_PATH = "/bridge/v1/updates"
OPENAPI_PATH = "/bridge/v1/openapi.json"


class BridgeClients:
    """A background service whose only job is closing the connectors' HTTP clients at stop."""

    def __init__(self, platforms: list[BridgePlatform]) -> None:
        self.platforms = platforms

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        for platform in self.platforms:
            await platform.close()


def connect_bridges(
    settings: Settings, platforms: dict[str, Platform], store: Store, **client_options
) -> BridgeClients:
    """Add a BridgePlatform per configured connector to `platforms`; closes them at stop."""
    made = []
    directory = PrivateChats(store)
    for name, config in settings.bridge_platforms.items():
        platform = BridgePlatform.from_config(name, config, directory, **client_options)
        platforms[name] = platform
        made.append(platform)
        log.info("bridge %s: replies go to %s", name, config.url)
    return BridgeClients(made)


def bridge_endpoint(
    settings: Settings,
    platforms: Mapping[str, Platform],
    assistant: Assistant,
    store: Store,
    count=None,
) -> BridgeEndpoint:
    secrets = {n: c.secret.get_secret_value() for n, c in settings.bridge_platforms.items()}
    return BridgeEndpoint(
        secrets,
        platforms,
        assistant,
        ReplayGuard(store),
        directory=PrivateChats(store),
        max_body=settings.bridge_max_body_bytes,
        count=count,
    )


def bridge_routes(endpoint: BridgeEndpoint) -> list[Route]:
    spec = document()

    async def openapi(request: Request) -> JSONResponse:
        return JSONResponse(spec)

    return [
        Route(UPDATES_PATH, endpoint.receive, methods=["POST"]),
        Route(OPENAPI_PATH, openapi, methods=["GET"]),
    ]
