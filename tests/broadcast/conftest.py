"""Broadcast fixtures: a real store (SQLite, PostgreSQL), a recording fake platform, a clock."""

from __future__ import annotations

import pytest
from broadcast_helpers import FakeClock, FakePlatform

from bot.store import Store, open_store


@pytest.fixture
def store(database_url: str) -> Store:
    """The store on a SQLite file, then on PostgreSQL (tests/conftest.py `database_url`)."""
    store = open_store(database_url)
    yield store
    store.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def fake() -> FakePlatform:
    return FakePlatform()
