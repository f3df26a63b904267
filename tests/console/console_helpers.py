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
