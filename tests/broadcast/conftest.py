"""Broadcast fixtures: a real SQLite store, a recording fake platform, a settable clock."""

from __future__ import annotations

import pytest
from broadcast_helpers import FakeClock, FakePlatform

from bot.store import Store, open_store


@pytest.fixture
def store(tmp_path) -> Store:
    store = open_store(f"sqlite:///{tmp_path / 'broadcast.sqlite3'}")
    yield store
    store.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def fake() -> FakePlatform:
    return FakePlatform()
