"""The console in a real browser: Playwright driving Debian's Chromium against the running
bot on 127.0.0.1 (Telegram on the Bot API stub). Nothing downloads a browser: it is the
system's /usr/bin/chromium (`.ci/run` installs it), and the tests fail, never skip, without it.

Screenshots of every page go to artifacts/console/ (git-ignored); two of them illustrate the
README (docs/console-*.png, copied from here by hand).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from console_helpers import ADMIN, MEMBER, MODERATOR, docx_bytes, link_for, make_moderator, say
from playwright.async_api import Page, async_playwright, expect

from testkit.miniapp import init_data

pytestmark = pytest.mark.slow
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "console"
GROUP = -900
DOC_TEXT = "1. Chi bộ sinh hoạt định kỳ mỗi tháng một lần vào ngày mồng năm hằng tháng."

# every visible form control must have a label (or an aria-label) a screen reader reads
UNLABELLED = """() => [...document.querySelectorAll('input, select, textarea')]
  .filter(e => e.type !== 'hidden')
  .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
  .map(e => e.name || e.id)"""


@pytest.fixture
async def browser():
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    assert Path(executable).exists(), "Debian's chromium is needed: apt-get install -y chromium"
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=executable, args=["--no-sandbox", "--disable-gpu"]
        )
        yield launched
        await launched.close()


async def new_page(browser, console_bot, width: int = 1024) -> Page:
    context = await browser.new_context(
        base_url=console_bot.url, viewport={"width": width, "height": 900}, locale="vi-VN"
    )
    context.set_default_timeout(15_000)
    return await context.new_page()


async def shot(page: Page, name: str) -> None:
    """A screenshot of the whole page, and the page's form controls all labelled."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    assert await page.evaluate(UNLABELLED) == [], name


async def sign_in_with_link(page: Page, stub, user_id: int = ADMIN) -> None:
    await page.goto(await link_for(stub, user_id))
    await shot(page, "dang-nhap-lien-ket")
    await page.get_by_role("button", name="Đăng nhập").click()
    await expect(page).to_have_url(re.compile(r"/console/$"))


def texts_to(stub, chat_id: int) -> list[str]:
    return [
        c.result.get("text") or ""
        for c in stub.calls_to("sendMessage")
        if c.ok and int(c.params["chat_id"]) == chat_id
    ]


async def test_sign_in_approve_send_now_and_read_the_report(console_bot, stub, browser):
    stub.push_message(GROUP, ADMIN, "/giup", chat_type="supergroup", title="Chi bộ phường 1")
    await stub.wait_for_async(lambda: texts_to(stub, GROUP))  # the bot knows the group
    await make_moderator(stub, MODERATOR)
    reply = await say(
        stub,
        MODERATOR,
        "/soan <b>Phủ xanh</b> thông tin tích cực\n[Đọc thêm](https://dangcongsan.vn)",
    )
    post_id = int(re.search(r"bài (\d+)", reply).group(1))

    page = await new_page(browser, console_bot)
    await sign_in_with_link(page, stub)
    await expect(page.get_by_role("heading", name="Tổng quan")).to_be_visible()
    await shot(page, "tong-quan")

    await page.get_by_role("link", name="Duyệt bài").click()
    preview = page.locator(".tg-message").first
    await expect(preview.locator("b")).to_have_text("Phủ xanh")
    await expect(preview.get_by_role("link", name="Đọc thêm")).to_have_attribute(
        "href", "https://dangcongsan.vn"
    )
    await shot(page, "duyet")
    await page.get_by_role("button", name=f"Duyệt bài {post_id}").click()
    await expect(page.get_by_role("status")).to_contain_text(f"Bài {post_id} đã được duyệt.")

    await page.get_by_role("link", name="Lịch đăng").click()
    await page.get_by_label("Bài", exact=True).select_option(str(post_id))
    await page.get_by_label("Gửi ngay").check()
    await page.get_by_role("button", name="Hẹn lịch").click()
    await expect(page.get_by_role("status")).to_contain_text("Đã tạo lịch")
    [sent] = await stub.wait_for_async(
        lambda: [t for t in texts_to(stub, GROUP) if "Phủ xanh" in t], timeout=15
    )
    assert "thông tin tích cực" in sent

    await page.get_by_role("link", name="Báo cáo").click()
    await page.get_by_role("link", name="1", exact=True).click()
    await expect(page.locator(".totals")).to_contain_text("1 đã gửi")
    await expect(page.locator("table")).to_contain_text("Chi bộ phường 1")
    await shot(page, "bao-cao")
    async with page.expect_download() as waiting:
        await page.get_by_role("link", name="Tải CSV").click()
    download = await waiting.value
    assert download.suggested_filename == "bao-cao-lan-1.csv"


async def test_schedule_from_the_calendar_on_a_phone(console_bot, stub, browser):
    reply = await say(stub, ADMIN, "/soan <b>Lịch</b> sinh hoạt tháng")
    post_id = int(re.search(r"[Bb]ài (\d+)", reply).group(1))
    await say(stub, ADMIN, f"/duyet {post_id}")
    day = (dt.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")) + dt.timedelta(days=3)).date()

    page = await new_page(browser, console_bot, width=360)
    await sign_in_with_link(page, stub)
    await page.goto(f"/console/lich?xem=thang&ngay={day.isoformat()}")
    await page.get_by_title(f"Hẹn lịch ngày {day:%d/%m/%Y}").click()
    await expect(page.get_by_label("Thời gian", exact=True)).to_have_value(f"08:00 {day:%d/%m/%Y}")
    await page.get_by_label("Thời gian", exact=True).fill(f"19:30 {day:%d/%m/%Y}")
    await page.get_by_label("Bài", exact=True).select_option(str(post_id))
    await page.get_by_role("button", name="Hẹn lịch").click()
    await expect(page.get_by_role("status")).to_contain_text("Đã tạo lịch 1")
    slot = page.locator(".calendar .slot.upcoming", has_text="19:30")
    await expect(slot).to_have_count(1)
    await expect(slot).to_contain_text(f"#{post_id}")
    # nothing wider than the phone: no sideways scrolling at 360 px
    assert await page.evaluate("document.documentElement.scrollWidth") <= 360
    await shot(page, "lich-360")

    await page.get_by_role("link", name="Tuần").click()
    await expect(page.locator(".calendar .slot", has_text="19:30")).to_contain_text(
        "Lịch sinh hoạt"
    )
    await page.get_by_role("button", name="Tạm dừng 1").click()
    await expect(page.get_by_role("status")).to_contain_text("Lịch 1 đã tạm dừng.")
    await expect(page.locator(".calendar .slot.paused")).to_have_count(1)
    await shot(page, "lich-tuan-360")


async def test_upload_a_docx_then_ask_about_it_in_chat(console_bot, stub, browser, tmp_path):
    document = tmp_path / "Sinh hoạt chi bộ.docx"
    document.write_bytes(docx_bytes("Hướng dẫn sinh hoạt chi bộ", "I - QUY ĐỊNH CHUNG", DOC_TEXT))
    page = await new_page(browser, console_bot)
    await sign_in_with_link(page, stub)
    await page.get_by_role("link", name="Tài liệu").click()
    await shot(page, "tai-lieu")
    await page.get_by_label(re.compile("^Tệp")).set_input_files(str(document))
    await page.get_by_role("button", name="Tải lên và cập nhật").click()
    await expect(page.get_by_role("status")).to_contain_text("Đã lưu tệp Sinh hoạt chi bộ.docx")
    # the page follows the rebuild and reloads when it is done
    row = page.locator("tr", has_text="Hướng dẫn sinh hoạt chi bộ")
    await expect(row).to_be_visible(timeout=60_000)
    await expect(page.locator("#ket-qua")).to_contain_text("Đã cập nhật", timeout=60_000)
    await shot(page, "tai-lieu-sau")
    answer = await say(stub, MEMBER, "Chi bộ sinh hoạt định kỳ vào ngày nào?")
    assert "mồng năm" in answer and "Hướng dẫn sinh hoạt chi bộ" in answer


async def test_mini_app_roles_and_refusals_in_the_browser(console_bot, stub, browser):
    page = await new_page(browser, console_bot, width=390)
    data = init_data(stub.token, ADMIN, "Hùng")
    await page.goto(f"/console/app#tgWebAppData={quote(data, safe='')}&tgWebAppVersion=8.0")
    await expect(page).to_have_url(re.compile(r"/console/$"))
    await expect(page.locator(".who")).to_contain_text("Hùng · quản trị")
    await page.get_by_role("link", name="Phân quyền").click()
    await page.get_by_label("Mã số người dùng").fill(str(MODERATOR))
    await page.get_by_role("button", name="Cấp quyền").click()
    await expect(page.get_by_role("status")).to_contain_text("Đã cấp quyền người điều hành")
    await shot(page, "phan-quyen")
    await page.get_by_role("link", name="Câu hỏi", exact=True).click()
    await shot(page, "cau-hoi")

    stranger = await new_page(browser, console_bot, width=390)
    forged = init_data("1:another-bot", ADMIN)
    await stranger.goto(f"/console/app#tgWebAppData={quote(forged, safe='')}")
    await expect(stranger.get_by_role("alert")).to_contain_text("Chữ ký dữ liệu Mini App")
    link = await link_for(stub, ADMIN)
    await page.goto(link)
    await page.get_by_role("button", name="Đăng nhập").click()
    await stranger.goto(link)
    await stranger.get_by_role("button", name="Đăng nhập").click()
    await expect(stranger.get_by_role("alert")).to_contain_text("đã được dùng")
    await shot(stranger, "lien-ket-da-dung")
    await stranger.goto("/console/tailieu")
    await expect(stranger).to_have_url(re.compile(r"/console/dangnhap$"))


async def test_answer_an_unanswered_question_and_the_member_receives_it(console_bot, stub, browser):
    """The Questions page (the answer desk, bot/answerdesk): answer a group, approve it, and
    the member who asked gets the answer privately at the Bot API stub; at 360 px."""
    flan = "Công thức làm bánh flan caramel ngon nhất là gì?"
    answer = "Đánh đều trứng với sữa và đường, hấp cách thủy hai mươi phút."
    await say(stub, MEMBER, flan)
    page = await new_page(browser, console_bot, width=360)
    await sign_in_with_link(page, stub)
    await page.get_by_role("link", name="Câu hỏi", exact=True).click()
    await expect(page.get_by_role("heading", name=f"1. {flan}")).to_be_visible()
    await shot(page, "cau-hoi-360")
    assert await page.evaluate("document.documentElement.scrollWidth") <= 360

    await page.get_by_label("Câu trả lời cho nhóm 1").fill(answer)
    await page.get_by_role("button", name="Gửi duyệt").click()
    await expect(page.get_by_role("status")).to_contain_text("Đã ghi câu trả lời số 1")
    await page.get_by_role("button", name="✅ Duyệt câu trả lời 1").click()
    await expect(page.get_by_role("status")).to_contain_text("Đã duyệt câu trả lời số 1")

    def told():
        return [t for t in texts_to(stub, MEMBER) if "Câu trả lời đã được duyệt" in t]

    [message] = await stub.wait_for_async(told, timeout=30)
    assert answer in message and "Nguồn: Hỏi đáp số 1" in message
    await console_bot.services.answer_desk.idle()
    await page.reload()
    await expect(page.get_by_text("Chưa có câu hỏi nào bị bỏ ngỏ.")).to_be_visible()
    await shot(page, "cau-hoi-da-tra-loi-360")


TELEGRAM_WEB = "https://web.telegram.org/k/"


async def test_mini_app_in_web_telegram_orgs_cross_site_frame(https_console, stub):
    """web.telegram.org frames the Mini App (the console on another site): sign in with
    initData and approve a post, all inside the frame. The page of web.telegram.org is
    served by Playwright (no network); the console runs with BOT_PUBLIC_URL https://."""
    await make_moderator(stub, MODERATOR)
    reply = await say(stub, MODERATOR, "/soan <b>Trong khung</b> của Telegram")
    post_id = int(re.search(r"bài (\d+)", reply).group(1))

    data = quote(init_data(stub.token, ADMIN, "Hùng"), safe="")
    app = f"{https_console.url}/console/app#tgWebAppData={data}&tgWebAppVersion=8.0"
    # the page of a public site framing 127.0.0.1 trips Chrome's Local Network Access
    # checks, which the real pair (both on the internet) never meets: off for this test
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=shutil.which("chromium") or "/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-features=LocalNetworkAccessChecks"],
        )
        try:
            await approve_in_telegrams_frame(browser, app, stub, post_id)
        finally:
            await browser.close()


async def approve_in_telegrams_frame(browser, app: str, stub, post_id: int) -> None:
    context = await browser.new_context(viewport={"width": 1024, "height": 900}, locale="vi-VN")
    context.set_default_timeout(15_000)
    telegram = f'<!doctype html><iframe src="{app}" style="width:100%;height:860px"></iframe>'
    await context.route(
        TELEGRAM_WEB, lambda route: route.fulfill(content_type="text/html", body=telegram)
    )
    page = await context.new_page()
    await page.goto(TELEGRAM_WEB)
    frame = page.frame_locator("iframe")
    await expect(frame.locator(".who")).to_contain_text("Hùng · quản trị")
    await frame.get_by_role("link", name="Duyệt bài").click()
    await expect(frame.locator(".tg-message b").first).to_have_text("Trong khung")
    await frame.get_by_role("button", name=f"Duyệt bài {post_id}").click()
    await expect(frame.get_by_role("status")).to_contain_text(f"Bài {post_id} đã được duyệt.")
    await page.screenshot(path=str(ARTIFACTS / "mini-app-web-telegram.png"))
    [cookie] = [c for c in await context.cookies() if c["name"] == "bot_console"]
    assert cookie["sameSite"] == "None" and cookie["secure"] and cookie["httpOnly"]
    assert cookie.get("partitionKey") == "https://telegram.org"  # CHIPS: Telegram's jar only

    # any other site framing the console gets Chrome's error page instead (frame-ancestors)
    elsewhere = "https://elsewhere.example/"
    await context.route(
        elsewhere, lambda route: route.fulfill(content_type="text/html", body=telegram)
    )
    other = await context.new_page()
    async with other.expect_response(lambda r: "/console/app" in r.url) as answered:
        await other.goto(elsewhere)
    assert (await answered.value).status == 200
    await other.wait_for_load_state()
    for _ in range(100):  # Chrome swaps the frame for its error page: at most 10 s
        if any(f.url.startswith("chrome-error:") for f in other.frames):
            break
        await other.wait_for_timeout(100)
    assert [f.url[:13] for f in other.frames] == [elsewhere[:13], "chrome-error:"]
