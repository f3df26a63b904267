"""Fixtures for end-to-end tests: the real PTB Application long-polling the Bot API stub."""

from __future__ import annotations

import pytest
from telegram_helpers import ADMIN


@pytest.fixture
def tg_settings(settings, stub, database_url):
    """Settings pointing PTB at the stub, one admin, a threshold the hash encoder meets; the
    database a SQLite file, then PostgreSQL (tests/conftest.py `database_url`)."""
    from pydantic import SecretStr

    return settings.model_copy(
        update={
            "telegram_token": SecretStr(stub.token),
            "telegram_base_url": stub.base_url,
            "telegram_base_file_url": stub.base_file_url,
            "admin_ids": [ADMIN],
            "answer_threshold": 0.3,
            "reload_progress_seconds": 0.0,
            "database_url": database_url,
            "db_auto_migrate": True,
        }
    )


@pytest.fixture
def tg_kb(tg_settings, open_knowledge):
    return open_knowledge(tg_settings)


@pytest.fixture
async def tg_bot(tg_settings, tg_kb, start_bot):
    """The running bot (long polling the stub); its Services."""
    return (await start_bot(tg_settings, tg_kb)).services
