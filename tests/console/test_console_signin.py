"""Signing in to the console with a one-time link from /dangnhap, over real HTTP."""

from __future__ import annotations

from console_helpers import ADMIN, MEMBER, csrf_of, link_for, sign_in


async def test_a_link_from_dangnhap_signs_the_admin_in_once(console_bot, stub, browser_client):
    link = await link_for(stub, ADMIN)
    assert link.startswith(console_bot.url + "/console/dangnhap/")
    home = await sign_in(browser_client, link)
    assert home.status_code == 200
    assert str(home.url) == console_bot.url + "/console/"
    assert "Tổng quan" in home.text and "quản trị" in home.text
    assert home.headers["cache-control"] == "no-store"
    assert "Phân quyền" in home.text  # the admin's nav has the admins' pages

    again = await browser_client.get(link)  # the page shows; pressing the button again fails
    used = await browser_client.post(link, data={"csrf": csrf_of(again.text)})
    assert used.status_code == 403
    assert "đã được dùng" in used.text


async def test_opening_the_link_does_not_use_it(console_bot, stub, browser_client):
    """Messengers fetch links for previews: only pressing the button signs in."""
    link = await link_for(stub, ADMIN)
    for _ in range(3):
        assert (await browser_client.get(link)).status_code == 200
    assert (await sign_in(browser_client, link)).status_code == 200


async def test_a_member_gets_no_link(console_bot, stub):
    mid = stub.push_message(MEMBER, MEMBER, "/dangnhap")["message"]["message_id"]
    [reply] = await stub.wait_for_async(
        lambda: [
            c
            for c in stub.calls_to("sendMessage")
            if c.ok and (c.params.get("reply_parameters") or {}).get("message_id") == mid
        ]
    )
    assert "/console/dangnhap/" not in reply.result["text"]


async def test_without_a_session_the_console_sends_people_to_sign_in(console_bot, browser_client):
    response = await browser_client.get("/console/lich")
    assert response.status_code == 303
    assert response.headers["location"] == "/console/dangnhap"
    how = await browser_client.get("/console/dangnhap")
    assert how.status_code == 200 and "<code>/dangnhap</code>" in how.text
