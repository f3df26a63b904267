"""The Mini App inside web.telegram.org, where it is a cross-site <iframe>: no cookie set
before sign-in, a session cookie a cross-site frame keeps (SameSite=None; Secure;
Partitioned) when cookies are secure, and framing allowed to Telegram only."""

from __future__ import annotations

from console_helpers import ADMIN, link_for, sign_in_miniapp

from bot.console.cookies import CookieKind, all_session_cookies, session_cookie
from testkit.miniapp import init_data

FRAMING = "frame-ancestors 'self' https://web.telegram.org"


def test_only_a_mini_app_session_over_https_gets_a_cross_site_cookie():
    assert session_cookie("miniapp", True) == CookieKind(True, "none", partitioned=True)
    assert session_cookie("link", True) == CookieKind(True, "lax")
    # browsers refuse SameSite=None without Secure: plain HTTP keeps the link's cookie
    assert session_cookie("miniapp", False) == CookieKind(False, "lax")
    assert all_session_cookies(True) == [CookieKind(True, "lax"), CookieKind(True, "none", True)]
    assert all_session_cookies(False) == [CookieKind(False, "lax")]


def cookie_attributes(response) -> list[str]:
    (cookie,) = [c for c in response.headers.get_list("set-cookie") if c.startswith("bot_console=")]
    return [part.strip().lower() for part in cookie.split(";")[1:]]


async def test_a_mini_app_session_cookie_is_kept_in_a_cross_site_frame(https_console, stub):
    import httpx

    async with httpx.AsyncClient(base_url=https_console.url, timeout=10) as client:
        page = await client.get("/console/app")
        assert page.status_code == 200 and "set-cookie" not in page.headers
        assert page.headers["content-security-policy"] == FRAMING
        form = {"init_data": init_data(stub.token, ADMIN, "Hùng")}
        signed_in = await client.post("/console/app", data=form)
        assert signed_in.status_code == 303
        attributes = cookie_attributes(signed_in)
        for wanted in ("httponly", "secure", "samesite=none", "partitioned", "path=/console"):
            assert wanted in attributes, attributes

        link = (await link_for(stub, ADMIN)).replace("https://", "http://")
        opened = await client.get(link)
        token = opened.headers["set-cookie"].split(";")[0].split("=", 1)[1]
        client.cookies.set("bot_console_pre", token)  # Secure: this client keeps it off HTTP
        by_link = await client.post(link, data={"csrf": token})
        assert by_link.status_code == 303
        attributes = cookie_attributes(by_link)
        assert "samesite=lax" in attributes and "secure" in attributes
        assert "partitioned" not in attributes


async def test_another_sites_form_cannot_sign_a_browser_in(console_bot, stub, browser_client):
    """Login CSRF: a valid initData of the attacker's own, posted from the attacker's page."""
    form = {"init_data": init_data(stub.token, ADMIN, "Hùng")}
    for site in ("cross-site", "same-site"):
        refused = await browser_client.post(
            "/console/app", data=form, headers={"sec-fetch-site": site}
        )
        assert refused.status_code == 403 and "bot_console" not in browser_client.cookies
    home = await browser_client.post(
        "/console/app", data=form, headers={"sec-fetch-site": "same-origin"}, follow_redirects=True
    )
    assert home.status_code == 200 and "Hùng" in home.text


async def test_every_console_page_may_be_framed_by_telegram_only(console_bot, stub, browser_client):
    home = await sign_in_miniapp(browser_client, init_data(stub.token, ADMIN, "Hùng"))
    assert home.status_code == 200
    for path in ("/console/", "/console/dangnhap", "/console/khong-co", "/console/static/x"):
        response = await browser_client.get(path)
        assert response.headers["content-security-policy"] == FRAMING, path
        assert "x-frame-options" not in response.headers
