"""The calendar over real HTTP: month and week views in Asia/Ho_Chi_Minh, scheduling from a
day (once, recurring, cron; an existing post or a new one), moving, pausing, cancelling."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from console_helpers import ADMIN, csrf_of, link_for, say, sign_in, texts_to

from bot.broadcast.models import PAUSED, Schedule

ICT = ZoneInfo("Asia/Ho_Chi_Minh")


def soon(days: int = 2) -> dt.date:
    return (dt.datetime.now(ICT) + dt.timedelta(days=days)).date()


async def approved_post(stub, text: str = "<b>Tin</b> phường 1") -> int:
    reply = await say(stub, ADMIN, f"/soan {text}")
    post_id = int(re.search(r"[Bb]ài (\d+)", reply).group(1))
    assert "đã được duyệt" in await say(stub, ADMIN, f"/duyet {post_id}") or "sẵn sàng" in reply
    return post_id


async def admin_console(stub, client):
    await sign_in(client, await link_for(stub, ADMIN))
    page = await client.get("/console/lich")
    assert page.status_code == 200
    return csrf_of(page.text)


def slots(html: str) -> list[str]:
    """The due times shown: «HH:MM #post» per slot, in page order."""
    found = re.findall(r'class="slot (\w+)"[^>]*>\s*<b>(\d\d:\d\d)</b> <span>#(\d+)</span>', html)
    return [f"{css} {time} #{post}" for css, time, post in found]


async def test_a_post_scheduled_on_a_day_shows_in_the_month_and_week(
    console_bot, stub, browser_client
):
    post_id = await approved_post(stub)
    csrf = await admin_console(stub, browser_client)
    day = soon()
    made = await browser_client.post(
        "/console/lich/hen",
        data={
            "csrf": csrf,
            "bai": str(post_id),
            "thoi_gian": f"20:00 {day:%d/%m/%Y}",
            "nhom": "tất cả",
            "ghim": "1",
        },
        follow_redirects=True,
    )
    assert made.status_code == 200 and "Đã tạo lịch 1" in made.text, made.text
    month = await browser_client.get(f"/console/lich?xem=thang&ngay={day.isoformat()}")
    assert f"upcoming 20:00 #{post_id}" in slots(month.text)
    assert f"Tháng {day.month}/{day.year}" in month.text
    week = await browser_client.get(f"/console/lich?xem=tuan&ngay={day.isoformat()}")
    assert slots(week.text) == [f"upcoming 20:00 #{post_id}"]
    assert "tất cả nhóm đang hoạt động" in week.text and "ghim" in week.text
    other = await browser_client.get(f"/console/lich?xem=tuan&ngay={day + dt.timedelta(7)}")
    assert slots(other.text) == []


async def test_recurring_and_cron_schedules_fill_the_days_they_fall_on(
    console_bot, stub, browser_client
):
    post_id = await approved_post(stub)
    csrf = await admin_console(stub, browser_client)
    for when in ("7:30 hằng ngày", "cron 0 8 * * 1-5"):
        made = await browser_client.post(
            "/console/lich/hen",
            data={"csrf": csrf, "bai": str(post_id), "thoi_gian": when},
            follow_redirects=True,
        )
        assert "Đã tạo lịch" in made.text, made.text
    monday = soon(7) - dt.timedelta(days=soon(7).weekday())
    week = slots((await browser_client.get(f"/console/lich?xem=tuan&ngay={monday}")).text)
    daily = [s for s in week if s.startswith("upcoming 07:30")]
    weekdays = [s for s in week if s.startswith("upcoming 08:00")]
    assert len(daily) == 7 and len(weekdays) == 5


async def test_a_new_post_written_in_the_calendar_waits_for_approval(
    console_bot, stub, browser_client
):
    csrf = await admin_console(stub, browser_client)
    await say(stub, ADMIN, "/giup")
    made = await browser_client.post(
        "/console/lich/hen",
        data={
            "csrf": csrf,
            "bai": "moi",
            "noi_dung": "<b>Thông báo</b> họp chi bộ",
            "nut": "[Chi tiết](https://example.vn)",
            "thoi_gian": f"9:00 {soon():%d/%m/%Y}",
        },
        follow_redirects=True,
    )
    # approval is required: the schedule is kept, and says the post is not approved yet
    assert "Đã tạo lịch" in made.text and "chưa được duyệt" in made.text
    queue = await browser_client.get("/console/duyet")
    assert "Thông báo" in queue.text and "Chờ duyệt (1)" in queue.text


async def test_bad_times_and_html_are_refused_with_the_reason(console_bot, stub, browser_client):
    post_id = await approved_post(stub)
    csrf = await admin_console(stub, browser_client)
    bad_time = await browser_client.post(
        "/console/lich/hen",
        data={"csrf": csrf, "bai": str(post_id), "thoi_gian": "hôm kia"},
        follow_redirects=True,
    )
    assert 'class="notice error"' in bad_time.text and "Đã tạo lịch" not in bad_time.text
    bad_html = await browser_client.post(
        "/console/lich/hen",
        data={"csrf": csrf, "bai": "moi", "noi_dung": "<b>mở", "thoi_gian": "8:00 hằng ngày"},
        follow_redirects=True,
    )
    assert "chưa hợp lệ" in bad_html.text
    assert "Chờ duyệt (0)" in (await browser_client.get("/console/duyet")).text


async def test_move_pause_resume_and_cancel_a_schedule(console_bot, stub, browser_client):
    post_id = await approved_post(stub)
    csrf = await admin_console(stub, browser_client)
    day = soon()
    view = f"?xem=tuan&ngay={day.isoformat()}"
    await browser_client.post(
        "/console/lich/hen" + view,
        data={"csrf": csrf, "bai": str(post_id), "thoi_gian": f"20:00 {day:%d/%m/%Y}"},
    )
    moved = await browser_client.post(
        "/console/lich/1/doigio" + view,
        data={"csrf": csrf, "thoi_gian": f"21:15 {day:%d/%m/%Y}"},
        follow_redirects=True,
    )
    assert str(moved.url).startswith(str(browser_client.base_url) + "/console/lich?xem=tuan")
    assert slots(moved.text) == [f"upcoming 21:15 #{post_id}"]
    paused = await browser_client.post(
        "/console/lich/1/tamdung" + view, data={"csrf": csrf}, follow_redirects=True
    )
    assert "Lịch 1 đã tạm dừng." in paused.text
    assert slots(paused.text) == [f"paused 21:15 #{post_id}"]
    with console_bot.services.store.session() as session:
        assert session.get(Schedule, 1).status == PAUSED
    resumed = await browser_client.post(
        "/console/lich/1/tieptuc" + view, data={"csrf": csrf}, follow_redirects=True
    )
    assert slots(resumed.text) == [f"upcoming 21:15 #{post_id}"]
    cancelled = await browser_client.post(
        "/console/lich/1/huy" + view, data={"csrf": csrf}, follow_redirects=True
    )
    assert "hủy" in cancelled.text and slots(cancelled.text) == []
    again = await browser_client.post(
        "/console/lich/1/doigio" + view,
        data={"csrf": csrf, "thoi_gian": f"22:00 {day:%d/%m/%Y}"},
        follow_redirects=True,
    )
    assert "đã hủy" in again.text and slots(again.text) == []


async def test_send_now_from_the_calendar_reaches_the_groups(console_bot, stub, browser_client):
    stub.push_message(-900, ADMIN, "/giup", chat_type="supergroup", title="Chi bộ 1")
    await stub.wait_for_async(lambda: texts_to(stub, -900))  # the bot knows the group
    post_id = await approved_post(stub, "<b>Phủ xanh</b> hôm nay")
    csrf = await admin_console(stub, browser_client)
    done = await browser_client.post(
        "/console/lich/hen",
        data={"csrf": csrf, "bai": str(post_id), "thoi_gian": "", "gui_ngay": "1"},
        follow_redirects=True,
    )
    assert "Đã tạo lịch" in done.text, done.text
    await stub.wait_for_async(
        lambda: [t for t in texts_to(stub, -900) if "Phủ xanh" in t], timeout=15
    )
    unapproved = await browser_client.post(
        "/console/lich/hen",
        data={"csrf": csrf, "bai": "moi", "noi_dung": "Chưa duyệt", "gui_ngay": "1"},
        follow_redirects=True,
    )
    assert "chưa được duyệt nên chưa gửi được" in unapproved.text
