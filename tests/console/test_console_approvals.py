"""The approval queue over real HTTP: the preview members will see, approve, reject with a
reason, edit (back to approval) — through the same feature code as /duyet, /tuchoi, /sua."""

from __future__ import annotations

import re

from console_helpers import (
    ADMIN,
    MODERATOR,
    csrf_of,
    link_for,
    make_moderator,
    say,
    sign_in,
    texts_to,
)

from bot.broadcast import approval
from bot.broadcast.models import Post

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
POST = (
    "<b>Chào mừng</b> Đại hội <i>Đảng bộ phường</i> &lt;script&gt;alert(1)&lt;/script&gt;\n"
    '<a href="https://dangcongsan.vn">Đọc thêm</a>\n[Xem trực tiếp](https://vtv.vn/truc-tiep)'
)


def status_of(running, post_id: int) -> tuple[str, int]:
    with running.services.store.session() as session:
        post = session.get(Post, post_id)
        return post.status, post.version


async def compose(stub, user_id: int, text: str = POST) -> int:
    reply = await say(stub, user_id, f"/soan {text}")
    found = re.search(r"bài (\d+)", reply, re.IGNORECASE)
    assert found, reply
    return int(found.group(1))


async def test_the_queue_previews_a_post_as_members_will_see_it(console_bot, stub, browser_client):
    await make_moderator(stub, MODERATOR)
    post_id = await compose(stub, MODERATOR)
    await sign_in(browser_client, await link_for(stub, ADMIN))
    page = await browser_client.get("/console/duyet")
    assert page.status_code == 200
    html = page.text
    assert f"Bài số {post_id}" in html and "Chờ duyệt (1)" in html
    assert "<b>Chào mừng</b>" in html and "<i>Đảng bộ phường</i>" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    assert 'href="https://dangcongsan.vn"' in html
    assert 'class="tg-button" href="https://vtv.vn/truc-tiep"' in html
    assert f'<label for="ly-do-{post_id}">' in html  # every control labelled


async def test_approving_in_the_console_tells_the_author_and_lets_it_be_sent(
    console_bot, stub, browser_client
):
    await make_moderator(stub, MODERATOR)
    post_id = await compose(stub, MODERATOR)
    await sign_in(browser_client, await link_for(stub, ADMIN))
    csrf = csrf_of((await browser_client.get("/console/duyet")).text)
    done = await browser_client.post(
        f"/console/duyet/{post_id}/duyet",
        data={"csrf": csrf, "phien_ban": "1"},
        follow_redirects=True,
    )
    assert done.status_code == 200 and f"Bài {post_id} đã được duyệt." in done.text
    await stub.wait_for_async(
        lambda: [t for t in texts_to(stub, MODERATOR) if f"Bài {post_id} của bạn đã được" in t]
    )
    stub.add_chat(-900, "supergroup", "Chi bộ 1")
    stub.push_message(-900, ADMIN, "/giup", chat_type="supergroup", title="Chi bộ 1")
    await stub.wait_for_async(lambda: texts_to(stub, -900))  # the bot knows the group
    reply = await say(stub, MODERATOR, f"/guingay {post_id}")
    assert "Đã tạo lịch" in reply
    [sent] = await stub.wait_for_async(
        lambda: [t for t in texts_to(stub, -900) if "Chào mừng" in t], timeout=15
    )
    assert "Đại hội" in sent


async def test_rejecting_needs_a_reason_and_tells_it_to_the_author(
    console_bot, stub, browser_client
):
    await make_moderator(stub, MODERATOR)
    post_id = await compose(stub, MODERATOR)
    await sign_in(browser_client, await link_for(stub, ADMIN))
    csrf = csrf_of((await browser_client.get("/console/duyet")).text)
    url = f"/console/duyet/{post_id}/tuchoi"
    empty = await browser_client.post(
        url, data={"csrf": csrf, "phien_ban": "1", "ly_do": " "}, follow_redirects=True
    )
    assert "cần ghi lý do" in empty.text and "Chờ duyệt (1)" in empty.text
    done = await browser_client.post(
        url, data={"csrf": csrf, "phien_ban": "1", "ly_do": "Sai số liệu"}, follow_redirects=True
    )
    assert f"Bài {post_id} bị từ chối." in done.text and "Chờ duyệt (0)" in done.text
    await stub.wait_for_async(
        lambda: [t for t in texts_to(stub, MODERATOR) if "Lý do: Sai số liệu" in t]
    )


async def test_editing_an_approved_post_sends_it_back_for_approval(
    console_bot, stub, browser_client
):
    await make_moderator(stub, MODERATOR)
    post_id = await compose(stub, MODERATOR)
    assert "đã được duyệt" in await say(stub, ADMIN, f"/duyet {post_id}")
    await sign_in(browser_client, await link_for(stub, ADMIN))
    queue = await browser_client.get("/console/duyet")
    assert "Chờ duyệt (0)" in queue.text and f"/console/duyet/{post_id}/sua" in queue.text
    form = await browser_client.get(f"/console/duyet/{post_id}/sua")
    assert form.status_code == 200 and "Chào mừng" in form.text
    assert "[Xem trực tiếp](https://vtv.vn/truc-tiep)" in form.text
    before = len(texts_to(stub, ADMIN))
    saved = await browser_client.post(
        f"/console/duyet/{post_id}/sua",
        data={
            "csrf": csrf_of(form.text),
            "noi_dung": "<b>Chào mừng</b> Đại hội (bản sửa)",
            "nut": "[Xem](https://vtv.vn)",
        },
        follow_redirects=True,
    )
    assert "chờ duyệt lại" in saved.text and "Chờ duyệt (1)" in saved.text
    assert "phiên bản 2" in saved.text and "(bản sửa)" in saved.text
    assert status_of(console_bot, post_id) == (approval.AWAITING, 2)
    # the approvers are asked again, as after /sua in chat (the admin edited: other approvers)
    assert len(texts_to(stub, ADMIN)) >= before


async def test_bad_html_in_an_edit_is_refused_with_the_reason(console_bot, stub, browser_client):
    await make_moderator(stub, MODERATOR)
    post_id = await compose(stub, MODERATOR)
    await sign_in(browser_client, await link_for(stub, ADMIN))
    form = await browser_client.get(f"/console/duyet/{post_id}/sua")
    saved = await browser_client.post(
        f"/console/duyet/{post_id}/sua",
        data={"csrf": csrf_of(form.text), "noi_dung": "<b>không đóng thẻ", "nut": ""},
        follow_redirects=True,
    )
    assert "chưa hợp lệ" in saved.text and "chưa được đóng" in saved.text
    assert "phiên bản 1" in saved.text


async def test_a_moderator_who_is_not_an_approver_sees_but_cannot_decide(
    console_bot, stub, browser_client
):
    await make_moderator(stub, MODERATOR)
    post_id = await compose(stub, ADMIN)
    await sign_in(browser_client, await link_for(stub, MODERATOR))
    page = await browser_client.get("/console/duyet")
    assert page.status_code == 200 and f"Bài số {post_id}" in page.text
    assert "chưa có quyền duyệt" in page.text and "Phân quyền" not in page.text
    refused = await browser_client.post(
        f"/console/duyet/{post_id}/duyet", data={"csrf": csrf_of(page.text), "phien_ban": "1"}
    )
    assert refused.status_code == 403
    assert status_of(console_bot, post_id) == (approval.AWAITING, 1)


async def test_a_moderator_approver_does_not_approve_their_own_post(
    console_bot, stub, browser_client
):
    await make_moderator(stub, MODERATOR, approver=True)
    post_id = await compose(stub, MODERATOR)
    await sign_in(browser_client, await link_for(stub, MODERATOR))
    page = await browser_client.get("/console/duyet")
    assert "người duyệt khác sẽ duyệt" in page.text
    done = await browser_client.post(
        f"/console/duyet/{post_id}/duyet",
        data={"csrf": csrf_of(page.text), "phien_ban": "1"},
        follow_redirects=True,
    )
    assert "không tự duyệt" in done.text


async def test_the_photo_of_a_post_is_shown(console_bot, stub, browser_client):
    await make_moderator(stub, MODERATOR)
    stub.push_photo(MODERATOR, MODERATOR, JPEG, caption="/soan <b>Ảnh</b> hội nghị")
    await stub.wait_for_async(
        lambda: [t for t in texts_to(stub, MODERATOR) if "cho người duyệt" in t]
    )
    await sign_in(browser_client, await link_for(stub, ADMIN))
    page = await browser_client.get("/console/duyet")
    [src] = re.findall(r'class="tg-photo" src="([^"]+)"', page.text)
    photo = await browser_client.get(src)
    assert photo.status_code == 200 and photo.headers["content-type"] == "image/jpeg"
    assert photo.content == JPEG
