"""Helpers for console tests: sign in through the bot's own /dangnhap link, read forms."""

from __future__ import annotations

import re
import socket

import httpx

from testkit import BotApiStub

ADMIN = 1001
MODERATOR = 3003
MEMBER = 2002
LINK = re.compile(r"https?://\S+/console/dangnhap/[A-Za-z0-9_\-]+")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def link_for(stub: BotApiStub, user_id: int) -> str:
    """Send /dangnhap in the user's private chat; the link in the bot's reply."""
    mid = stub.push_message(user_id, user_id, "/dangnhap")["message"]["message_id"]

    def reply():
        for call in stub.calls_to("sendMessage"):
            ref = call.params.get("reply_parameters") or {}
            if call.ok and int(call.params["chat_id"]) == user_id and ref.get("message_id") == mid:
                return [call]
        return []

    [call] = await stub.wait_for_async(reply, timeout=10)
    found = LINK.search(call.result["text"])
    assert found, call.result["text"]
    return found.group(0)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, html
    return found.group(1)


async def sign_in(client: httpx.AsyncClient, link: str) -> httpx.Response:
    """Open the link, press «Đăng nhập»: the response after the redirect."""
    page = await client.get(link)
    assert page.status_code == 200, page.text
    return await client.post(link, data={"csrf": csrf_of(page.text)}, follow_redirects=True)


async def sign_in_miniapp(client: httpx.AsyncClient, init_data: str) -> httpx.Response:
    """What the Mini App page's script does: post Telegram's initData (no cookie, no token:
    in web.telegram.org's cross-site frame no cookie set before sign-in is kept)."""
    page = await client.get("/console/app")
    assert page.status_code == 200, page.text
    assert "set-cookie" not in page.headers
    form = {"init_data": init_data}
    return await client.post("/console/app", data=form, follow_redirects=True)


async def say(stub: BotApiStub, user_id: int, text: str) -> str:
    """A private message to the bot; the text of its (last) reply."""
    mid = stub.push_message(user_id, user_id, text)["message"]["message_id"]

    def replies():
        return [
            c
            for c in stub.calls_to("sendMessage")
            if c.ok
            and int(c.params["chat_id"]) == user_id
            and (c.params.get("reply_parameters") or {}).get("message_id") == mid
        ]

    found = await stub.wait_for_async(replies, timeout=10)
    return found[-1].result["text"]


async def make_moderator(stub: BotApiStub, user_id: int, approver: bool = False) -> None:
    """The admin grants the role in chat, as people do."""
    stub.push_message(user_id, user_id, "chào", first_name="Mai")  # the bot knows them
    assert "Đã cấp" in await say(stub, ADMIN, f"/capquyen {user_id}")
    if approver:
        assert "quyền duyệt" in await say(stub, ADMIN, f"/nguoiduyet {user_id}")


def texts_to(stub: BotApiStub, chat_id: int) -> list[str]:
    return [
        c.result.get("text") or c.result.get("caption") or ""
        for c in stub.calls
        if c.ok and c.method in ("sendMessage", "sendPhoto") and int(c.params["chat_id"]) == chat_id
    ]


def docx_bytes(title: str, *paragraphs: str) -> bytes:
    """A real Word file (python-docx): a Title and numbered paragraphs."""
    import io

    from docx import Document

    document = Document()
    document.core_properties.title = title
    document.add_heading(title, level=0)
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


async def rebuilt(client: httpx.AsyncClient, timeout: float = 60) -> dict:
    """Poll the knowledge page's progress (as its script does) until the rebuild ends."""
    import asyncio
    import time

    deadline = time.monotonic() + timeout
    while True:
        state = (await client.get("/console/tailieu/tiendo")).json()
        if not state["running"]:
            return state
        assert time.monotonic() < deadline, state
        await asyncio.sleep(0.2)
