"""`python -m bot run` with a bridge, driven by examples/bridge_connector.py, stopped by SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
SECRET = "run-test-secret-0123456789"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_the_bot_and_the_example_connector_talk(settings, tmp_path):
    bot_port, connector_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env.update(
        BOT_EMBEDDING_BACKEND="hash",
        BOT_ANSWER_THRESHOLD="0.3",
        BOT_KNOWLEDGE_DIR=str(settings.knowledge_dir),
        BOT_INDEX_DIR=str(tmp_path / "run-index"),
        BOT_DATA_DIR=str(tmp_path / "run-data"),
        BOT_HTTP_PORT=str(bot_port),
        BOT_BRIDGE_PLATFORMS=(
            f'{{"mocha": {{"secret": "{SECRET}", '
            f'"url": "http://127.0.0.1:{connector_port}/outbound", "admin_ids": ["admin"]}}}}'
        ),
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
        url = f"http://127.0.0.1:{bot_port}"
        deadline = time.monotonic() + 60
        while True:  # ready once the index is built
            try:
                if httpx.get(url + "/readyz").status_code == 200:
                    break
            except httpx.ConnectError:
                pass
            assert time.monotonic() < deadline and bot.poll() is None, bot.stderr.read()
            time.sleep(0.2)
        lines = "Ngày truyền thống Công an nhân dân là ngày nào?\n!2\n/thongke\n/quit\n"
        chat = subprocess.run(
            [
                sys.executable,
                str(ROOT / "examples" / "bridge_connector.py"),
                "--bot",
                url,
                "--secret",
                SECRET,
                "--listen",
                str(connector_port),
                "--user",
                "admin",
                "--linger",
                "0.5",
            ],
            input=lines,
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
        )
        metrics = httpx.get(url + "/metrics").text
    finally:
        bot.send_signal(signal.SIGTERM)
        out, err = bot.communicate(timeout=30)
    assert bot.returncode == 0, err
    assert "bot running: bridge:mocha" in err and "stopped" in err
    printed = chat.stdout
    assert "[bot] " in printed and "19/8" in printed and "Nguồn:" in printed
    assert "Cảm ơn bạn đã góp ý!" in printed  # the 👍 button, pressed with !2
    assert "Thống kê" in printed  # the admin command, for the configured admin id
    assert chat.stderr == ""
    assert 'bot_questions_total{outcome="answered",platform="mocha"} 1.0' in metrics
