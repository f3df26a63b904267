"""Schemathesis against the served OpenAPI document: generated updates, signed, never a 5xx."""

from __future__ import annotations

import asyncio
import json
import threading
from pathlib import Path

import httpx
import pytest
import schemathesis
from bridge_helpers import SECRET
from hypothesis import HealthCheck, settings

from bot.platforms.bridge.signing import signed_headers


class BotInThread:
    """The bot's server in its own event loop, for synchronous (hypothesis) tests."""

    def __init__(self, bot_settings, knowledge) -> None:
        self.settings, self.knowledge = bot_settings, knowledge
        self.url = ""
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread = threading.Thread(target=lambda: asyncio.run(self._main()), daemon=True)

    async def _main(self) -> None:
        from bot.app import build_services
        from bot.runtime import serving

        self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
        services = build_services(self.settings, knowledge=self.knowledge)
        async with serving(self.settings, services) as running:
            self.url = running.url
            self._ready.set()
            await self._stop.wait()

    def __enter__(self) -> BotInThread:
        self._thread.start()
        assert self._ready.wait(30), "the bot did not start"
        return self

    def __exit__(self, *exc) -> None:
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(30)


@pytest.fixture(scope="module")
def served_schema(tmp_path_factory):
    from bot.app import make_knowledge_base
    from bot.platforms.bridge.config import BridgeConnector
    from bot.settings import Settings

    base = tmp_path_factory.mktemp("schemathesis")
    bot_settings = Settings(
        _env_file=None,
        knowledge_dir=Path(__file__).resolve().parents[2] / "knowledge",  # only read
        index_dir=base / "index",
        data_dir=base / "data",
        embedding_backend="hash",
        http_port=0,
        # the connector is down: replies to generated messages fail fast, quietly
        bridge_platforms={
            "mocha": BridgeConnector(
                secret=SECRET, url="http://127.0.0.1:9/x", attempts=1, timeout=1.0
            )
        },
        bridge_max_body_bytes=4096,
    )
    kb = make_knowledge_base(bot_settings)
    kb.open()
    with BotInThread(bot_settings, kb) as bot:
        schema = schemathesis.openapi.from_url(bot.url + "/bridge/v1/openapi.json")
        schema.config.base_url = bot.url
        yield schema


@pytest.fixture(scope="module")
def http():
    """One client for every example (a new one per call costs an SSL context each time),
    closed with its kept-alive connection however the module ends."""
    with httpx.Client() as client:
        yield client


schema = schemathesis.pytest.from_fixture("served_schema")


@schema.parametrize()
@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_generated_updates_never_cause_a_server_error(case, http):
    kwargs = case.as_transport_kwargs()
    try:
        body = json.dumps(case.body, ensure_ascii=False).encode()
    except TypeError:  # no body at all (schemathesis' NOT_SET)
        body = b""
    headers = {
        k: v
        for k, v in (kwargs.get("headers") or {}).items()
        if not k.lower().startswith("x-bridge-")
    }
    # sign most requests so generation reaches the handler behind the signature check
    headers.update(signed_headers(SECRET, body))
    headers["Content-Type"] = "application/json"
    response = http.request(
        kwargs["method"], kwargs["url"], content=body, headers=headers, timeout=10
    )
    assert response.status_code < 500, response.text
    assert response.status_code in (202, 400, 401, 403, 405, 409, 413, 422), response.text
    case.validate_response(
        response,
        checks=[
            schemathesis.checks.not_a_server_error,
            schemathesis.checks.response_schema_conformance,
        ],
    )
