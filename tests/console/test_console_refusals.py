"""What the console refuses, over real HTTP: forged or stale Mini App data, a reused link, a
member's session on an admin page, a forged CSRF token, a session that ended."""

from __future__ import annotations

import time

from console_helpers import ADMIN, MEMBER, csrf_of, link_for, sign_in, sign_in_miniapp

from testkit.miniapp import init_data


async def test_the_mini_app_signs_a_telegram_admin_in(console_bot, stub, browser_client):
    home = await sign_in_miniapp(browser_client, init_data(stub.token, ADMIN, "Hùng"))
    assert home.status_code == 200 and str(home.url).endswith("/console/")
    assert "Hùng · quản trị" in home.text


async def test_initdata_with_a_wrong_hash_is_refused(console_bot, stub, browser_client):
    forged = init_data("123:another-bots-token", ADMIN)
    refused = await sign_in_miniapp(browser_client, forged)
    assert refused.status_code == 403 and "Chữ ký" in refused.text
    tampered = init_data(stub.token, MEMBER).replace(f"%22id%22%3A{MEMBER}", f"%22id%22%3A{ADMIN}")
    assert tampered != init_data(stub.token, MEMBER)
    refused = await sign_in_miniapp(browser_client, tampered)
    assert refused.status_code == 403 and "Chữ ký" in refused.text
    assert "bot_console" not in browser_client.cookies
    assert (await browser_client.get("/console/")).status_code == 303


async def test_an_expired_auth_date_is_refused(console_bot, stub, browser_client):
    old = init_data(stub.token, ADMIN, auth_date=int(time.time()) - 2 * 3600)
    refused = await sign_in_miniapp(browser_client, old)
    assert refused.status_code == 403 and "đã cũ" in refused.text
    assert (await browser_client.get("/console/")).status_code == 303


async def test_a_reused_link_is_refused(console_bot, stub, browser_client):
    link = await link_for(stub, ADMIN)
    assert (await sign_in(browser_client, link)).status_code == 200
    browser_client.cookies.clear()  # someone else who found the link
    again = await browser_client.get(link)
    refused = await browser_client.post(link, data={"csrf": csrf_of(again.text)})
    assert refused.status_code == 403 and "đã được dùng" in refused.text


async def test_a_members_session_cannot_do_what_admins_do(console_bot, stub, browser_client):
    """A member may open the Mini App (Telegram lets anyone): signed in, refused everything."""
    await sign_in_miniapp(browser_client, init_data(stub.token, MEMBER))
    assert "bot_console" in browser_client.cookies
    for page in ("/console/", "/console/quyen", "/console/tailieu", "/console/duyet"):
        refused = await browser_client.get(page)
        assert refused.status_code == 403, page
        assert "Không có quyền" in refused.text
    # its own session's valid token: refused for the role, not the form
    csrf = csrf_of((await browser_client.get("/console/dangnhap")).text)
    grant = {"csrf": csrf, "nen_tang": "telegram", "ma_so": str(MEMBER)}
    admin_action = await browser_client.post("/console/quyen/cap", data=grant)
    assert admin_action.status_code == 403 and "Không có quyền" in admin_action.text
    assert console_bot.services.assistant.roles.role_of("telegram", str(MEMBER)) == 0


async def test_a_forged_csrf_token_is_refused(console_bot, stub, browser_client):
    await sign_in(browser_client, await link_for(stub, ADMIN))
    for token in ("forged", "", None):
        data = {"csrf": token} if token is not None else {}
        refused = await browser_client.post("/console/dangxuat", data=data)
        assert refused.status_code == 403 and "Biểu mẫu không hợp lệ" in refused.text
    assert (await browser_client.get("/console/")).status_code == 200  # still signed in
    real = csrf_of((await browser_client.get("/console/")).text)
    out = await browser_client.post("/console/dangxuat", data={"csrf": real})
    assert out.status_code == 303
    assert (await browser_client.get("/console/")).status_code == 303  # signed out


async def test_a_forged_pre_sign_in_token_is_refused(console_bot, stub, browser_client):
    """Another site cannot sign this browser in: the form's token must match its cookie."""
    link = await link_for(stub, ADMIN)
    await browser_client.get(link)
    refused = await browser_client.post(link, data={"csrf": "from-another-site"})
    assert refused.status_code == 403
    assert (await sign_in(browser_client, link)).status_code == 200  # the link still works
