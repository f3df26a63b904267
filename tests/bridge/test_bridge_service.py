"""The HTTP server around the bridge: OpenAPI document, health, readiness, metrics, real model."""

from __future__ import annotations

import asyncio
import json

import httpx
from bridge_helpers import MEMBER

from bot.platforms.bridge import openapi


def test_the_saved_openapi_document_is_up_to_date():
    saved = openapi.SAVED.read_text(encoding="utf-8")
    assert saved == openapi.render(), "run: python -m bot.platforms.bridge.openapi"


async def test_served_document_health_and_readiness(bridge_bot):
    async with httpx.AsyncClient(base_url=bridge_bot.url) as http:
        served = (await http.get("/bridge/v1/openapi.json")).json()
        assert served == json.loads(openapi.render())
        assert (await http.get("/healthz")).json() == {"status": "ok"}
        ready = await http.get("/readyz")
        assert ready.status_code == 200 and ready.json()["checks"] == {
            "knowledge": True,
            "database": True,
        }
        bridge_bot.services.store.ping = lambda: False  # the database went away
        down = await http.get("/readyz")
        assert down.status_code == 503 and down.json()["checks"]["database"] is False
        assert (await http.get("/healthz")).status_code == 200  # alive all the same
        assert (await http.get("/bridge/v1/updates")).status_code == 405


async def test_metrics_show_deliveries_by_state(bridge_bot, connector, receiver):
    from sqlalchemy import select

    from bot.broadcast.models import Delivery
    from bot.store import Chat

    await connector.post(
        {"type": "membership", "chat_id": "g-m", "status": "member", "event_id": "j1"}
    )
    from bot.broadcast.models import Post

    store = bridge_bot.services.store

    def post_status() -> str | None:
        with store.session() as session:
            return session.scalar(select(Post.status))

    def registered() -> bool:
        with store.session() as session:
            return bool(session.scalar(select(Chat.active).where(Chat.chat_id == "g-m")))

    # one step at a time: updates are handled concurrently, and /duyet 1 before the post
    # exists would be refused, /guingay 1 before the group is registered would miss it
    await receiver.wait_for(registered)
    await connector.say("uA", "84900000001", "/soan Tin mới")
    await receiver.wait_for(lambda: post_status() is not None)
    if post_status() != "approved":
        await connector.say("uA", "84900000001", "/duyet 1")
        await receiver.wait_for(lambda: post_status() == "approved")
    await connector.say("uA", "84900000001", "/guingay 1")
    await receiver.wait_for(lambda: receiver.sends("g-m"))
    await connector.say("c9", "84900000003", "Ngày truyền thống Công an nhân dân là ngày nào?")
    await receiver.wait_for(lambda: receiver.sends("c9"))
    async with asyncio.timeout(30):  # the receiver has it; the engine records it just after
        while True:
            with store.session() as session:
                assert session.scalar(select(Chat.active).where(Chat.chat_id == "g-m"))
                status = session.scalar(select(Delivery.status))
            if status not in ("pending", "sending"):
                break
            await asyncio.sleep(0.02)
    async with httpx.AsyncClient(base_url=bridge_bot.url) as http:
        text = (await http.get("/metrics")).text
    assert status == "sent"
    assert 'bot_deliveries{kind="broadcast",platform="mocha",state="sent"} 1.0' in text
    replies = bridge_bot.services.assistant.courier.outcomes[("mocha", "sent")]
    line = 'bot_deliveries{kind="reply",platform="mocha",state="sent"} '
    [scraped] = [float(x.removeprefix(line)) for x in text.splitlines() if x.startswith(line)]
    # the member's answer and the admin's command replies (one may land after the scrape)
    assert 1 <= scraped <= replies


async def test_the_real_model_answers_through_the_bridge(bridge_settings, real_kb, receiver):
    from bot.app import build_services
    from bot.runtime import serving
    from testkit.bridge_connector import Connector

    settings = bridge_settings.model_copy(update={"answer_threshold": None})
    services = build_services(settings, knowledge=real_kb)
    async with (
        serving(settings, services) as running,
        Connector(running.url, receiver.secret) as connector,
    ):
        await connector.say("c1", MEMBER, "ngay truyen thong cong an nhan dan la ngay nao")
        await connector.say("c2", MEMBER, "Cách nấu phở bò ngon tại nhà?")
        [answer] = await receiver.wait_for(lambda: receiver.sends("c1"), timeout=30)
        [declined] = await receiver.wait_for(lambda: receiver.sends("c2"), timeout=30)
    assert "19/8/1945" in answer["text"] and "Kế hoạch" in answer["text"]
    assert "chưa có nội dung đã được phê duyệt" in declined["text"]
