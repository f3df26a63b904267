"""Bridge fixtures: the bot's real HTTP server on 127.0.0.1 and a fake connector around it."""

from __future__ import annotations

import pytest
from bridge_helpers import ADMIN, MODERATOR, OTHER_SECRET, SECRET


@pytest.fixture
def receiver():
    from testkit.bridge_connector import Receiver

    with Receiver(SECRET) as running:
        yield running


@pytest.fixture
def bridge_settings(settings, receiver):
    """The bridge for "mocha" (and "zalo", whose receiver is never reached), any free port."""
    from bot.platforms.bridge.config import BridgeConnector

    mocha = BridgeConnector(
        secret=SECRET,
        url=receiver.url,
        admin_ids=[ADMIN],
        moderator_ids=[MODERATOR],
        timeout=1.0,
    )
    zalo = BridgeConnector(secret=OTHER_SECRET, url="http://127.0.0.1:9/never")
    return settings.model_copy(
        update={
            "http_port": 0,
            "answer_threshold": 0.3,
            "bridge_platforms": {"mocha": mocha, "zalo": zalo},
            "bridge_max_body_bytes": 4096,
        }
    )


@pytest.fixture
def bridge_kb(bridge_settings, open_knowledge):
    return open_knowledge(bridge_settings)


@pytest.fixture
async def bridge_bot(bridge_settings, bridge_kb, start_bot):
    """The running bot (bot.runtime.serving, as `python -m bot run` does)."""
    return await start_bot(bridge_settings, bridge_kb)


@pytest.fixture
async def connector(bridge_bot):
    from testkit.bridge_connector import Connector

    client = Connector(bridge_bot.url, SECRET)
    yield client
    await client.close()
