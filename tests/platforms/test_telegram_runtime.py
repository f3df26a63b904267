"""The bot as it runs: real model, error handler, token-free logs, webhook, `python -m bot run`."""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest
from telegram_helpers import ADMIN, MEMBER, ask, replies_to, text_of

from bot.app import build_services
from bot.cli.reporting import configure_logging
from bot.platforms.telegram_app import build_application, running
from bot.runtime import serving

QUESTION = "Ngày truyền thống Công an nhân dân là ngày nào?"


@pytest.mark.slow
async def test_real_model_answers_from_the_sample_plan(stub, tg_settings, real_kb):
    settings = tg_settings.model_copy(update={"answer_threshold": None})
    services = build_services(settings, knowledge=real_kb)
    async with running(build_application(settings, services), poll_timeout=5):
        call = await ask(stub, MEMBER, MEMBER, "ngay truyen thong cong an nhan dan la ngay nao")
        assert "19/8/1945" in text_of(call)
        assert "Kế hoạch" in text_of(call) or "KH" in text_of(call)
        declined = await ask(stub, MEMBER, MEMBER, "Cách nấu phở bò ngon tại nhà?")
        assert "chưa có nội dung đã được phê duyệt" in text_of(declined)


async def test_unexpected_error_apologises_and_tells_admin_chat(stub, tg_bot, monkeypatch):
    tg_bot.settings = tg_bot.settings.model_copy(update={"admin_chat_id": ADMIN})
    stub.add_chat(ADMIN, "private")

    async def broken(*args, **kwargs):
        raise RuntimeError("search exploded")

    monkeypatch.setattr(tg_bot.assistant.asking, "ask", broken)
    apology = await ask(stub, MEMBER, MEMBER, QUESTION)
    assert "Xin lỗi, tôi gặp sự cố" in text_of(apology)
    [alert] = await stub.wait_for_async(
        lambda: [c for c in stub.calls_to("sendMessage") if c.ok and c.params["chat_id"] == ADMIN]
    )
    assert "RuntimeError: search exploded" in text_of(alert)
    # unaddressed group talk never gets an apology, even when handling it fails
    monkeypatch.setattr(tg_bot.assistant.chats, "heard_in_group", broken)
    talk = stub.push_message(-700, MEMBER, "chào cả nhà")["message"]
    await stub.wait_for_async(lambda: len(stub.calls_to("sendMessage")) >= 3)  # 2nd alert
    assert replies_to(stub, -700, talk["message_id"]) == []


async def test_token_never_logged(stub, tg_bot, caplog):
    configure_logging()
    caplog.set_level(logging.DEBUG)
    stub.fail_next("sendMessage", MEMBER, 429, retry_after=1)
    await ask(stub, MEMBER, MEMBER, QUESTION)
    await ask(stub, MEMBER, MEMBER, "/reload")
    secret = stub.token.split(":")[1]
    assert caplog.records  # PTB did log at DEBUG
    assert not [r for r in caplog.records if secret in r.getMessage()]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_webhook_requires_the_secret_token(stub, tg_settings, tg_kb):
    from pydantic import SecretStr

    port = free_port()
    settings = tg_settings.model_copy(
        update={
            "webhook_url": "https://bot.example/tg-hook",
            "webhook_port": port,
            "webhook_secret": SecretStr("s3cret_Token-1"),
        }
    )
    services = build_services(settings, knowledge=tg_kb)
    # the webhook is a route of the bot's one HTTP server (bot.runtime), on webhook_port
    async with serving(settings, services):
        [hook] = stub.calls_to("setWebhook")
        assert hook.params["url"] == "https://bot.example/tg-hook"
        assert hook.params["secret_token"] == "s3cret_Token-1"
        update = stub.push_message(MEMBER, MEMBER, QUESTION)
        url = f"http://127.0.0.1:{port}/tg-hook"
        async with httpx.AsyncClient() as client:
            missing = await client.post(url, json=update)
            wrong = await client.post(
                url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "nope"}
            )
            assert (missing.status_code, wrong.status_code) == (403, 403)
            assert stub.calls_to("sendMessage") == []
            good = await client.post(
                url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret_Token-1"}
            )
            assert good.status_code == 200
        [reply] = await stub.wait_for_async("sendMessage")
        assert "19/8" in text_of(reply)


@pytest.mark.slow
def test_python_m_bot_run_against_the_stub(stub, tg_settings, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env.update(
        BOT_TELEGRAM_TOKEN=stub.token,
        BOT_TELEGRAM_BASE_URL=stub.base_url,
        BOT_TELEGRAM_BASE_FILE_URL=stub.base_file_url,
        BOT_EMBEDDING_BACKEND="hash",
        BOT_ANSWER_THRESHOLD="0.3",
        BOT_ADMIN_IDS=str(ADMIN),
        BOT_KNOWLEDGE_DIR=str(tg_settings.knowledge_dir),
        BOT_INDEX_DIR=str(tmp_path / "run-index"),
        BOT_DATA_DIR=str(tmp_path / "run-data"),
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        stub.wait_for(lambda: stub.waiting_polls, timeout=30)  # polling has begun
        # the index is built in the background ("not ready" meanwhile): wait for it to be
        # published rather than ask again and again — each question spends the member's
        # rate-limit budget (5 in a row), and a loaded machine builds slowly
        current = tmp_path / "run-index" / "CURRENT"
        deadline = time.monotonic() + 120
        while not current.exists():
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.1)
        for _ in range(4):  # published; the bot swaps it in within moments
            mid = stub.push_message(MEMBER, MEMBER, QUESTION)["message"]["message_id"]
            [reply] = stub.wait_for(lambda mid=mid: replies_to(stub, MEMBER, mid), timeout=30)
            if "chuẩn bị" not in reply.result["text"]:
                break
            time.sleep(1)
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert stub.token not in out + err and stub.token.split(":")[1] not in err
    assert "long polling" in err
    [reply] = replies_to(stub, MEMBER, mid)
    assert "19/8" in json.dumps(reply.result, ensure_ascii=False)


async def test_a_failed_rebuild_at_start_is_told_to_the_admin_chat_and_the_old_index_answers(
    stub, tg_settings
):
    from bot.app import build_services
    from bot.platforms.telegram_app import build_application, running
    from bot.search.build import build_index
    from bot.search.encoders import HashEncoder
    from bot.search.keeper import KnowledgeKeeper
    from bot.search.knowledge_base import KnowledgeBase

    class FailingEncoder(HashEncoder):
        fail = False

        def passages(self, texts, progress=None):
            if self.fail:
                raise RuntimeError("mô hình hỏng")
            return super().passages(texts, progress)

    settings = tg_settings.model_copy(update={"admin_chat_id": ADMIN})
    enc = FailingEncoder(64)
    build_index(settings.knowledge_dir, settings.index_dir, enc)
    (settings.knowledge_dir / "moi.txt").write_text("Văn bản mới về phủ xanh.", encoding="utf-8")
    enc.fail = True
    kb = KnowledgeBase(settings.knowledge_dir, settings.index_dir, enc, threshold=0.3)
    services = build_services(settings, knowledge=kb)
    [keeper] = [b for b in services.background if isinstance(b, KnowledgeKeeper)]
    keeper.interval = 0.05  # the knowledge keeper tells the admin chat
    stub.push_message(ADMIN, ADMIN, "/giup")  # the admin chat exists before the bot starts
    async with running(build_application(settings, services), poll_timeout=5):
        await services.ready()
        told = await stub.wait_for_async(
            lambda: [m for m in stub.sent_messages(ADMIN) if "thất bại" in m.get("text", "")],
            timeout=10,
        )
        assert "mô hình hỏng" in told[0]["text"]
        answer = await ask(stub, MEMBER, MEMBER, "Ban Chỉ đạo 35 của Đảng ủy Khối")
        assert "Ban Chỉ đạo 35" in text_of(answer)
