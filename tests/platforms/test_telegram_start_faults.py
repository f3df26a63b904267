"""Issue 10 items 5 and 6: Telegram failing at start leaks no token and takes nothing down.

`python -m bot run` against the Bot API stub with a token it refuses (PTB's InvalidToken
text embeds the token), a base URL answering 404, and a refused connection. Before: an
uncaught traceback with the token, rc 1 after 10 s, the HTTP server (and the bridge,
broadcasts) gone with it. Now: the failure is logged without the token and retried with
backoff while the HTTP server answers, and /readyz names Telegram as the part that is down.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time

import httpx
import pytest

BAD_TOKEN = "123456789:AAH-wrongSecretThatMustNeverBePrinted_xyz0"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Collected:
    """Every byte a child writes to one stream, read in a thread (no pipe may fill up)."""

    def __init__(self, stream) -> None:
        self.data = bytearray()
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream) -> None:
        for chunk in iter(lambda: stream.read1(4096), b""):
            self.data += chunk

    def join(self, stream) -> bytes:
        self._thread.join(timeout=30)
        stream.close()
        return bytes(self.data)


def start_bot(tmp_path, settings, *, token: str, base_url: str) -> tuple:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env.update(
        BOT_TELEGRAM_TOKEN=token,
        BOT_TELEGRAM_BASE_URL=base_url,
        BOT_TELEGRAM_BASE_FILE_URL=base_url.replace("/bot", "/file/bot"),
        BOT_EMBEDDING_BACKEND="hash",
        BOT_KNOWLEDGE_DIR=str(settings.knowledge_dir),
        BOT_INDEX_DIR=str(tmp_path / "index"),
        BOT_DATA_DIR=str(tmp_path / "data"),
        BOT_HTTP_PORT=str(port),
        BOT_HTTP_LISTEN="127.0.0.1",
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    return proc, Collected(proc.stdout), Collected(proc.stderr), f"http://127.0.0.1:{port}"


def wait_for_readyz_naming_telegram(proc, url: str, err: Collected) -> dict:
    """/readyz says Telegram is down, twice (so at least one retry ran), within a deadline."""
    deadline = time.monotonic() + 60
    seen = 0
    while True:
        assert proc.poll() is None, f"the bot exited: {err.data.decode(errors='replace')}"
        assert time.monotonic() < deadline, err.data.decode(errors="replace")
        try:
            body = httpx.get(f"{url}/readyz", timeout=5).json()
        except (httpx.HTTPError, ValueError):
            body = {}
        if body.get("checks", {}).get("telegram") is False:
            seen += 1
            if seen >= 2 and err.data.count(b"Telegram ch\xc6\xb0a ch\xe1\xba\xa1y") >= 2:
                return body
        time.sleep(0.5)


@pytest.mark.parametrize("fault", ["bad token", "404 base url", "refused connection"])
def test_telegram_failing_at_start_leaks_no_token_and_the_rest_keeps_running(
    fault, stub, settings, tmp_path
):
    token, base_url = stub.token, stub.base_url
    if fault == "bad token":
        token = BAD_TOKEN
    elif fault == "404 base url":
        base_url = f"{stub.url}/no-such-api/bot"
    else:
        base_url = f"http://127.0.0.1:{free_port()}/bot"  # nothing listens there
    proc, out, err, url = start_bot(tmp_path, settings, token=token, base_url=base_url)
    try:
        ready = wait_for_readyz_naming_telegram(proc, url, err)
        assert httpx.get(f"{url}/healthz", timeout=5).status_code == 200  # the process serves
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
    output = out.join(proc.stdout) + err.join(proc.stderr)
    secret = token.split(":")[1]
    for leak in (token, secret, secret.replace("-", "%2D"), token.replace(":", "%3A")):
        assert leak.encode() not in output, fault
    assert proc.returncode == 0, output.decode(errors="replace")
    assert "telegram" in ready["details"]["parts"]
    assert ready["details"]["parts"]["telegram"] != "ok"


async def test_telegram_down_at_start_recovers_without_restart(settings, tg_kb, start_bot):
    """Telegram unreachable at start: /readyz names it, the rest runs; once Telegram answers
    the bot connects by itself (backoff retry) and answers members."""
    from pydantic import SecretStr
    from telegram_helpers import ADMIN, MEMBER, ask, text_of

    from testkit import BotApiStub

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    tg = settings.model_copy(
        update={
            "telegram_token": SecretStr("123456:stub-token-for-a-late-telegram"),
            "telegram_base_url": f"{base}/bot",
            "telegram_base_file_url": f"{base}/file/bot",
            "admin_ids": [ADMIN],
            "answer_threshold": 0.3,
            "http_port": free_port(),
            "http_listen": "127.0.0.1",
        }
    )
    running = await start_bot(tg, tg_kb)  # returns although Telegram is down
    async with httpx.AsyncClient(base_url=running.url) as http:
        down = await http.get("/readyz")
        assert down.status_code == 503 and down.json()["checks"]["telegram"] is False
        assert "kết nối" in down.json()["details"]["parts"]["telegram"]
        assert down.json()["checks"]["knowledge"] is True  # the other parts are up
        with BotApiStub("123456:stub-token-for-a-late-telegram", port=port) as stub:
            await stub.wait_for_async(lambda: stub.waiting_polls, timeout=30)  # reconnected
            reply = await ask(stub, MEMBER, MEMBER, "Ngày truyền thống Công an nhân dân?")
            assert "19/8" in text_of(reply)
            up = await http.get("/readyz")
            assert up.status_code == 200 and up.json()["details"]["parts"]["telegram"] == "ok"


def test_token_filter_scrubs_exception_text_and_stack(capsys):
    """PTB's InvalidToken embeds the token: the log filter scrubs a traceback too."""
    import logging

    from telegram.error import InvalidToken

    from bot.platforms.telegram_token import TokenFilter

    handler = logging.StreamHandler()
    handler.addFilter(TokenFilter(BAD_TOKEN))
    log = logging.getLogger("test.token")
    log.addHandler(handler)
    try:
        try:
            raise InvalidToken(f"The token `{BAD_TOKEN}` was rejected by the server.")
        except InvalidToken:
            log.error("start failed %s", BAD_TOKEN.replace(":", "%3A"), exc_info=True)
        log.error("stack", stack_info=True, extra={})
    finally:
        log.removeHandler(handler)
    err = capsys.readouterr().err
    assert "InvalidToken" in err and "<token>" in err
    assert BAD_TOKEN.split(":")[1] not in err


async def test_a_send_between_start_attempts_is_unreachable_not_a_crash(stub):
    """While Telegram is retried, PTB's client may be closed: a broadcast or reply sent
    then is Unreachable (retried by the courier and the engine), not a RuntimeError."""
    from telegram import Bot

    from bot.chat import OutgoingMessage
    from bot.errors import Unreachable
    from bot.platforms.telegram import TelegramPlatform

    bot = Bot(stub.token, base_url=stub.base_url)
    await bot.initialize()
    await bot.shutdown()  # what a failed start leaves behind
    with pytest.raises(Unreachable):
        await TelegramPlatform(bot).send("2002", OutgoingMessage("xin chào"))


async def test_a_refused_start_leaves_no_connection_to_telegram_open(stub):
    """A getMe answered 401 fails the start (the runner tries again later); the connection
    it came on was kept alive in the bot's HTTP client, which nothing closed: open until the
    garbage collector found it, then an unclosed-socket ResourceWarning in whatever test ran."""
    import asyncio

    from telegram.error import InvalidToken
    from telegram.ext import ApplicationBuilder

    from bot.platforms.telegram_app import running

    app = ApplicationBuilder().token(BAD_TOKEN).base_url(stub.base_url).build()
    with pytest.raises(InvalidToken):
        async with running(app):
            pass
    assert [c.status for c in stub.calls_to("getMe")] == [401]
    deadline = time.monotonic() + 10  # the stub's thread sees the close when it next reads
    while stub.open_connections:
        assert time.monotonic() < deadline, "the refused start's connection is still open"
        await asyncio.sleep(0.02)
