"""`python -m bot run` with only the HTTP server: it says it serves no one, and health fails."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_no_token_and_no_bridge_warns_and_fails_the_health_check(settings, tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env.update(
        BOT_EMBEDDING_BACKEND="hash",
        BOT_KNOWLEDGE_DIR=str(settings.knowledge_dir),
        BOT_INDEX_DIR=str(tmp_path / "run-index"),
        BOT_DATA_DIR=str(tmp_path / "run-data"),
        BOT_HTTP_PORT=str(port),
    )
    bot = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/healthz")
                break
            except httpx.ConnectError:
                assert time.monotonic() < deadline and bot.poll() is None
                time.sleep(0.2)
        assert health.status_code == 503 and health.json()["status"] == "no platform"
    finally:
        bot.send_signal(signal.SIGTERM)
        _, err = bot.communicate(timeout=60)
    assert bot.returncode == 0, err
    assert "chưa cấu hình nền tảng nào" in err and "Traceback" not in err
