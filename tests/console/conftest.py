"""Fixtures for the web console: the running bot (Telegram on the Bot API stub, the HTTP
server with the console on 127.0.0.1) and an HTTP client that keeps cookies like a browser."""

from __future__ import annotations

import pytest
from console_helpers import ADMIN, free_port


@pytest.fixture
def console_settings(settings, stub):
    """Telegram on the stub, one admin, the console on at a free port of 127.0.0.1."""
    from pydantic import SecretStr

    port = free_port()
    return settings.model_copy(
        update={
            "telegram_token": SecretStr(stub.token),
            "telegram_base_url": stub.base_url,
            "telegram_base_file_url": stub.base_file_url,
            "admin_ids": [ADMIN],
            "answer_threshold": 0.3,
            "reload_progress_seconds": 0.0,
            "http_port": port,
            "console_enabled": True,
            "public_url": f"http://127.0.0.1:{port}",
        }
    )


@pytest.fixture
async def console_bot(console_settings, open_knowledge, start_bot):
    """The running bot with its console; `.url` is the HTTP server's address."""
    return await start_bot(console_settings, open_knowledge(console_settings))


@pytest.fixture
async def https_console(console_settings, open_knowledge, start_bot):
    """The console as behind an HTTPS proxy (BOT_PUBLIC_URL https://…), served here on HTTP."""
    settings = console_settings.model_copy(
        update={"public_url": console_settings.public_url.replace("http://", "https://")}
    )
    return await start_bot(settings, open_knowledge(settings))


@pytest.fixture
async def browser_client(console_bot):
    """An HTTP client on the console that keeps cookies (a browser without the browser)."""
    import httpx

    async with httpx.AsyncClient(base_url=console_bot.url, timeout=10) as client:
        yield client
