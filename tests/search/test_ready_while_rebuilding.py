"""The running bot: /readyz ready from the last good index while a rebuild runs or has failed."""

from __future__ import annotations

import asyncio
import threading

import httpx
from test_index_faults import FailingEncoder

from bot.app import build_services
from bot.search.build import build_index
from bot.search.keeper import KnowledgeKeeper
from bot.search.knowledge_base import KnowledgeBase
from bot.server.app import build_asgi
from bot.server.metrics import Metrics


async def wait_until(condition, seconds: float = 30) -> None:
    async with asyncio.timeout(seconds):
        while not condition():
            await asyncio.sleep(0.02)


async def readyz(services) -> httpx.Response:
    app = build_asgi(services, Metrics(services.store))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://t") as http:
        return await http.get("/readyz")


async def test_ready_from_the_stale_index_while_the_start_rebuild_runs(settings):
    enc = FailingEncoder()
    build_index(settings.knowledge_dir, settings.index_dir, enc)
    (settings.knowledge_dir / "moi.txt").write_text("Nội dung về phủ xanh.", encoding="utf-8")
    enc.gate, enc.entered = threading.Event(), threading.Event()
    kb = KnowledgeBase(settings.knowledge_dir, settings.index_dir, enc)
    services = build_services(settings, knowledge=kb)
    await services.start()
    try:
        await wait_until(enc.entered.is_set)
        response = await readyz(services)  # once: 503 for the whole rebuild
        assert response.status_code == 200
        knowledge = response.json()["details"]["knowledge"]
        assert knowledge["building"] and knowledge["serving"] and knowledge["last_error"] is None
        assert kb.search("Ban Chỉ đạo 35").hits
        enc.gate.set()
        await services.ready()
        assert any("phủ xanh" in c.text for c in kb.index.chunks)
    finally:
        enc.gate.set()
        await services.stop()


async def test_a_failed_start_rebuild_is_shown_and_retried_on_the_next_change(settings):
    enc = FailingEncoder()
    build_index(settings.knowledge_dir, settings.index_dir, enc)
    new = settings.knowledge_dir / "moi.txt"
    new.write_text("Nội dung về phủ xanh.", encoding="utf-8")
    enc.fail = True
    kb = KnowledgeBase(settings.knowledge_dir, settings.index_dir, enc)
    services = build_services(settings, knowledge=kb)
    [keeper] = [b for b in services.background if isinstance(b, KnowledgeKeeper)]
    keeper.interval = 0.05
    await services.start()
    try:
        await services.ready()
        response = await readyz(services)
        assert response.status_code == 200  # the old index serves
        assert "mô hình hỏng" in response.json()["details"]["knowledge"]["last_error"]
        enc.fail = False
        new.write_text("Nội dung sửa lại về phủ xanh.", encoding="utf-8")
        await wait_until(lambda: kb.last_error is None)
        assert any("sửa lại" in c.text for c in kb.index.chunks)
        assert (await readyz(services)).json()["details"]["knowledge"]["last_error"] is None
    finally:
        await services.stop()


async def test_not_ready_only_while_no_complete_index_exists(settings):
    enc = FailingEncoder()
    enc.gate, enc.entered = threading.Event(), threading.Event()
    kb = KnowledgeBase(settings.knowledge_dir, settings.index_dir, enc)
    services = build_services(settings, knowledge=kb)
    await services.start()
    try:
        await wait_until(enc.entered.is_set)
        assert (await readyz(services)).status_code == 503
        enc.gate.set()
        await services.ready()
        assert (await readyz(services)).status_code == 200
    finally:
        enc.gate.set()
        await services.stop()
