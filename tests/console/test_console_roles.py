"""The roles page over real HTTP (admins only): grant, flag as approver, revoke — the same
operations as /capquyen, /nguoiduyet and /thuhoi, and they take effect at once."""

from __future__ import annotations

from console_helpers import ADMIN, MODERATOR, csrf_of, link_for, say, sign_in


async def test_an_admin_grants_flags_and_revokes_a_moderator(console_bot, stub, browser_client):
    stub.push_message(MODERATOR, MODERATOR, "chào", first_name="Mai")
    await sign_in(browser_client, await link_for(stub, ADMIN))
    page = await browser_client.get("/console/quyen")
    assert page.status_code == 200 and "Chưa có người điều hành nào" in page.text
    assert str(ADMIN) in page.text  # the admins from the settings
    csrf = csrf_of(page.text)
    who = {"csrf": csrf, "nen_tang": "telegram", "ma_so": str(MODERATOR)}
    granted = await browser_client.post("/console/quyen/cap", data=who, follow_redirects=True)
    assert f"Đã cấp quyền người điều hành cho {MODERATOR}" in granted.text
    assert "/soan" in await say(stub, MODERATOR, "/giup")  # a moderator in chat at once
    flagged = await browser_client.post(
        "/console/quyen/duyet", data={**who, "bat": "1"}, follow_redirects=True
    )
    assert f"Đã cho quyền duyệt bài: {MODERATOR}" in flagged.text
    assert "Bỏ quyền duyệt" in flagged.text
    revoked = await browser_client.post("/console/quyen/thuhoi", data=who, follow_redirects=True)
    assert f"Đã thu hồi quyền điều hành của {MODERATOR}" in revoked.text
    assert "/soan" not in await say(stub, MODERATOR, "/giup")


async def test_bad_input_is_refused_with_the_reason(console_bot, stub, browser_client):
    await sign_in(browser_client, await link_for(stub, ADMIN))
    csrf = csrf_of((await browser_client.get("/console/quyen")).text)
    for data, reason in [
        ({"nen_tang": "telegram", "ma_so": "@mai"}, "là một số"),
        ({"nen_tang": "zalo", "ma_so": "5"}, "Không có nền tảng"),
        ({"nen_tang": "telegram", "ma_so": str(ADMIN)}, "đã là quản trị"),
    ]:
        refused = await browser_client.post(
            "/console/quyen/cap", data={"csrf": csrf, **data}, follow_redirects=True
        )
        assert reason in refused.text
    not_mod = await browser_client.post(
        "/console/quyen/duyet",
        data={"csrf": csrf, "nen_tang": "telegram", "ma_so": "42", "bat": "1"},
        follow_redirects=True,
    )
    assert "chưa là người điều hành" in not_mod.text


async def test_a_moderator_cannot_grant_roles(console_bot, stub, browser_client):
    stub.push_message(MODERATOR, MODERATOR, "chào")
    assert "Đã cấp" in await say(stub, ADMIN, f"/capquyen {MODERATOR}")
    await sign_in(browser_client, await link_for(stub, MODERATOR))
    assert (await browser_client.get("/console/quyen")).status_code == 403
    csrf = csrf_of((await browser_client.get("/console/")).text)
    refused = await browser_client.post(
        "/console/quyen/cap", data={"csrf": csrf, "nen_tang": "telegram", "ma_so": "77"}
    )
    assert refused.status_code == 403
    assert "/soan" not in await say(stub, 77, "/giup")
