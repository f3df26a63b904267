"""Broadcast commands through the real Assistant and composition root, on a fake platform."""

from __future__ import annotations

import itertools

import pytest
from broadcast_helpers import FakeClock, make_engine
from sqlalchemy import select

from bot.broadcast.models import Post, Schedule
from bot.chat import ButtonPress, IncomingMessage
from bot.store import Chat, Moderator
from testkit.fake_platform import FakePlatform

ADMIN, MOD, OTHER_MOD, MEMBER = "1001", "3003", "4004", "2002"
GROUPS = ["-1001", "-1002", "-1003"]


@pytest.fixture
async def services(settings, services_for):
    services = services_for(settings.model_copy(update={"admin_ids": [int(ADMIN)]}))
    with services.store.session() as session:
        for uid in (MOD, OTHER_MOD):
            session.add(Moderator(platform="telegram", user_id=uid))
        for i, chat_id in enumerate(GROUPS):
            session.add(Chat(platform="telegram", chat_id=chat_id, tags="phuong1" if i else ""))
    await services.assistant.start()  # reloads the moderators
    services.platforms["telegram"] = FakePlatform("telegram")
    return services


@pytest.fixture
def tg(services) -> FakePlatform:
    return services.platforms["telegram"]


@pytest.fixture
def say(services, tg):
    ids = itertools.count(1)

    async def say(text: str, user: str = MOD) -> None:
        head, _, args = text.partition(" ")
        msg = IncomingMessage(
            platform="telegram",
            chat_id=user,
            chat_type="private",
            user_id=user,
            text=text,
            message_id=str(next(ids)),
            command=head[1:],
            args=args.strip(),
        )
        await services.assistant.handle_message(msg, tg)

    return say


def buttons_sent_to(tg: FakePlatform, user: str) -> list[tuple[str, str]]:
    return [
        (s.message_id, b.data)
        for s in tg.sent
        if s.chat_id == user
        for row in s.message.buttons
        for b in row
        if b.data
    ]


async def press(services, tg, user: str, message_id: str, data: str) -> None:
    event = ButtonPress("telegram", user, user, message_id, data, press_id=f"p{message_id}")
    await services.assistant.handle_press(event, tg)


async def test_compose_approve_send_now_and_report(services, tg, say):
    await say("/soan <b>Chào mừng</b> Đại hội &amp; lời chúc\n[Đọc thêm](https://example.vn/dh)")
    preview = tg.sent[0]
    assert preview.chat_id == MOD and preview.message.text.startswith("<b>Chào mừng</b>")
    assert preview.message.buttons[0][0].url == "https://example.vn/dh"
    [(message_id, ok)] = [b for b in buttons_sent_to(tg, ADMIN) if b[1].startswith("bc:ok")]

    await say("/guingay 1")
    assert "chưa được duyệt" in tg.texts(MOD)[-1]
    await say("/duyet 1", user=OTHER_MOD)
    assert "không có quyền duyệt" in tg.texts(OTHER_MOD)[-1]

    await press(services, tg, ADMIN, message_id, ok)
    assert tg.presses[-1][1] == "Bài 1 đã được duyệt."
    assert "đã được duyệt" in tg.texts(MOD)[-1]  # the author is told

    await say("/guingay 1 | tất cả | im lặng")
    engine = make_engine(services.store, tg, FakeClock(services_now()))
    await engine.tick()
    delivered = [s for s in tg.sent if s.chat_id in GROUPS]
    assert sorted(s.chat_id for s in delivered) == sorted(GROUPS)
    for sent in delivered:  # the preview is exactly what the groups got, but for the bell
        assert sent.message.text == preview.message.text
        assert sent.message.buttons == preview.message.buttons and sent.message.silent

    await say("/baocao")
    report = tg.texts(MOD)[-1]
    assert "3 nhóm: đã gửi: 3" in report


async def test_member_cannot_compose_and_bad_html_is_explained(services, tg, say):
    await say("/soan <b>Tin</b>", user=MEMBER)
    assert "người điều hành" in tg.texts(MEMBER)[-1]
    await say("/soan <b>Tin <div>x</div>")
    assert "thẻ &lt;div&gt; không được dùng" in tg.texts(MOD)[-1]
    await say("/soan <b>Tin")
    assert "thẻ &lt;b&gt; chưa được đóng" in tg.texts(MOD)[-1]
    # what the old checker let through and Telegram refuses: refused here, with the reason
    refused = {
        "<?php echo 1 ?> tin": "thẻ &lt;?php&gt; không được dùng",
        "<a href=https://x.vn>x</a>": "phải đặt trong dấu nháy",
        "&#xD800; tin": "không phải ký tự hợp lệ",
    }
    for post, reason in refused.items():
        await say(f"/soan {post}")
        assert reason in tg.texts(MOD)[-1], post
    with services.store.session() as session:
        assert session.scalars(select(Post)).all() == []


async def test_a_preview_telegram_refuses_is_reported_to_the_moderator(services, tg, say):
    from bot.errors import Rejected

    tg.fail("send", Rejected("Bad Request: can't parse entities"))
    await say("/soan <b>Tin</b>")
    told = tg.texts(MOD)
    assert "Không gửi được bản xem trước" in told[-2] and "can't parse entities" in told[-2]
    assert told[-1].startswith("Đã gửi bài 1 cho người duyệt")


async def test_editing_an_approved_post_needs_approval_again(services, tg, say):
    await say("/soan Bản đầu")
    await say("/duyet 1", user=ADMIN)
    [(message_id, ok)] = [b for b in buttons_sent_to(tg, ADMIN) if b[1].startswith("bc:ok")]
    await say("/sua 1 Bản sửa")
    with services.store.session() as session:
        post = session.get(Post, 1)
        assert (post.status, post.version, post.text) == ("awaiting", 2, "Bản sửa")
    await press(services, tg, ADMIN, message_id, ok)  # the button of version 1
    assert "phiên bản 2" in tg.presses[-1][1]
    with services.store.session() as session:
        assert session.get(Post, 1).status == "awaiting"


async def test_schedule_list_pause_cancel(services, tg, say):
    await say("/soan Lịch tuần", user=ADMIN)
    await say("/henlich 1 thứ 2 hằng tuần 8:00 | #phuong1 | ghim")
    assert "Đã tạo lịch 1" in tg.texts(MOD)[-1] and "2 nhóm nhận" in tg.texts(MOD)[-1]
    assert "nhãn" not in tg.texts(MOD)[-1].split("\n", 1)[1]  # only unknown labels are named
    await say("/henlich 1 thứ 2 hằng tuần 9:00 | #phuong1 #phuongx")
    assert "Không nhóm nào có nhãn #phuongx." in tg.texts(MOD)[-1]  # a typo is named
    await say("/huy 2")
    await say("/henlich 1 25/13 20:00")
    assert "Tháng 13 không hợp lệ" in tg.texts(MOD)[-1]
    await say("/lich")
    assert "Lịch 1:" in tg.texts(MOD)[-1] and "thứ Hai hằng tuần" in tg.texts(MOD)[-1]
    await say("/tamdung 1")
    await say("/huy 1")
    with services.store.session() as session:
        assert session.get(Schedule, 1).status == "cancelled"
    await say("/lich")
    assert "Không có lịch" in tg.texts(MOD)[-1]


def services_now():
    from datetime import UTC, datetime

    return datetime.now(UTC)


async def test_the_composition_root_runs_the_engine(services, tg, say):
    await say("/soan <b>Tin nóng</b>", user=ADMIN)
    await say("/duyet 1", user=ADMIN)
    await services.start()
    try:
        await say("/guingay 1 | -1001 -1003")

        def delivered() -> list[str]:
            chats = sorted(s.chat_id for s in tg.sent if s.chat_id in GROUPS)
            return chats if len(chats) >= 2 else []

        assert await tg.wait_for(delivered) == ["-1001", "-1003"]
    finally:
        await services.stop()
