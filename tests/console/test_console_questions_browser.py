"""The Questions page in a real browser (Debian's Chromium, driven by Playwright): an
officer signs in through the bot's one-time link, answers an unanswered question, approves
it, and the member receives the answer privately at the Bot API stub. A screenshot of the
page at 360 px (a phone) goes to screenshots/ (git-ignored)."""

from __future__ import annotations

from pathlib import Path

import pytest
from console_helpers import ADMIN, MEMBER, link_for, say

CHROMIUM = Path("/usr/bin/chromium")  # Debian's; never downloaded at run time
SHOTS = Path(__file__).resolve().parents[2] / "screenshots"
FLAN = "Công thức làm bánh flan caramel ngon nhất là gì?"
ANSWER = "Đánh đều trứng với sữa và đường, hấp cách thủy hai mươi phút."


@pytest.fixture
async def phone():
    """A Chromium page 360 px wide."""
    from playwright.async_api import async_playwright

    assert CHROMIUM.exists(), "apt-get install -y chromium (.ci/run)"
    async with async_playwright() as driver:
        browser = await driver.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            context = await browser.new_context(viewport={"width": 360, "height": 740})
            yield await context.new_page()
        finally:
            await browser.close()


def told(stub, chat_id: int) -> list[str]:
    return [
        c.result["text"]
        for c in stub.calls_to("sendMessage")
        if c.ok
        and int(c.params["chat_id"]) == chat_id
        and "Câu trả lời đã được duyệt" in c.result["text"]
    ]


async def test_an_officer_answers_in_the_browser_and_the_member_receives_it(
    console_bot, stub, phone
):
    await say(stub, MEMBER, FLAN)
    await phone.goto(await link_for(stub, ADMIN))
    await phone.get_by_role("button", name="Đăng nhập").click()
    await phone.get_by_role("link", name="Câu hỏi").click()
    await phone.get_by_role("heading", name=f"1. {FLAN}").wait_for()

    SHOTS.mkdir(exist_ok=True)
    await phone.screenshot(path=str(SHOTS / "cauhoi-360.png"), full_page=True)
    width = await phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360  # nothing wider than the phone

    await phone.get_by_label("Câu trả lời cho nhóm 1").fill(ANSWER)
    await phone.get_by_role("button", name="Gửi duyệt").click()
    await phone.get_by_text("Đã ghi câu trả lời số 1").wait_for()
    await phone.get_by_role("button", name="✅ Duyệt câu trả lời 1").click()
    await phone.get_by_text("Đã duyệt câu trả lời số 1").wait_for()
    await phone.screenshot(path=str(SHOTS / "cauhoi-duyet-360.png"), full_page=True)

    [message] = await stub.wait_for_async(lambda: told(stub, MEMBER), timeout=30)
    assert ANSWER in message and "Nguồn: Hỏi đáp số 1" in message
