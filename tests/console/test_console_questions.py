"""The Questions page over real HTTP: groups, answering a group, approving, what members got.

Through the same answer desk as /chuatraloi, /traloi and /duyettl: the approved answer is
indexed and sent privately to the member at the Bot API stub.
"""

from __future__ import annotations

import re

from console_helpers import (
    ADMIN,
    MEMBER,
    MODERATOR,
    csrf_of,
    link_for,
    make_moderator,
    say,
    sign_in,
)
from sqlalchemy import select

from bot.answerdesk.models import OfficerAnswer
from bot.store import Feedback, Question

FLAN = "Công thức làm bánh flan caramel ngon nhất là gì?"
ANSWER = "Đánh đều trứng với sữa và đường, hấp cách thủy hai mươi phút."


def told(stub, chat_id: int) -> list[str]:
    return [
        c.result["text"]
        for c in stub.calls_to("sendMessage")
        if c.ok
        and int(c.params["chat_id"]) == chat_id
        and "Câu trả lời đã được duyệt" in c.result["text"]
    ]


async def test_answering_a_group_in_the_console_reaches_the_member(
    console_bot, stub, browser_client
):
    await say(stub, MEMBER, FLAN)
    await say(stub, 5005, FLAN.lower())
    await say(stub, MEMBER, "Ngày truyền thống Công an nhân dân là ngày nào?")  # answered
    await make_moderator(stub, MODERATOR)
    await sign_in(browser_client, await link_for(stub, MODERATOR))

    page = await browser_client.get("/console/cauhoi")
    assert page.status_code == 200
    html = page.text
    assert f"1. {FLAN}" in html or f"1. {FLAN.lower()}" in html
    assert "2 lượt hỏi" in html and "Công an nhân dân" not in html
    assert '<label for="tra-loi-1">Câu trả lời cho nhóm 1</label>' in html
    assert 'role="img"' in html and "Câu hỏi: <strong>4</strong>" in html  # "chào" too
    key = re.search(r'name="nhom" value="(\d+)"', html).group(1)

    empty = await browser_client.post(
        "/console/cauhoi/traloi",
        data={"csrf": csrf_of(html), "nhom": key, "noi_dung": "  "},
        follow_redirects=True,
    )
    assert "Câu trả lời đang trống" in empty.text
    made = await browser_client.post(
        "/console/cauhoi/traloi",
        data={"csrf": csrf_of(html), "nhom": key, "noi_dung": ANSWER},
        follow_redirects=True,
    )
    assert "Đã ghi câu trả lời số 1 (2 lượt hỏi): chờ người duyệt." in made.text
    assert "Câu trả lời chờ duyệt (1)" in made.text and "Chờ người duyệt." in made.text
    assert "/cauhoi/1/duyet" not in made.text  # a moderator, not an approver
    refused = await browser_client.post(
        "/console/cauhoi/1/duyet", data={"csrf": csrf_of(made.text)}
    )
    assert refused.status_code == 403
    again = await browser_client.post(
        "/console/cauhoi/traloi",
        data={"csrf": csrf_of(html), "nhom": key, "noi_dung": ANSWER},
        follow_redirects=True,
    )
    assert "đã có câu trả lời hoặc không còn" in again.text

    # the admin approves in their own browser session
    await browser_client.post("/console/dangxuat", data={"csrf": csrf_of(made.text)})
    await sign_in(browser_client, await link_for(stub, ADMIN))
    queue = await browser_client.get("/console/cauhoi")
    assert ANSWER in queue.text and '<label for="ly-do-tl-1">' in queue.text
    approved = await browser_client.post(
        "/console/cauhoi/1/duyet", data={"csrf": csrf_of(queue.text)}, follow_redirects=True
    )
    assert "Đã duyệt câu trả lời số 1" in approved.text

    [message] = await stub.wait_for_async(lambda: told(stub, MEMBER), timeout=30)
    assert ANSWER in message and "Nguồn: Hỏi đáp số 1" in message
    await stub.wait_for_async(lambda: told(stub, 5005), timeout=30)
    await console_bot.services.answer_desk.idle()
    answered = await say(stub, 6006, FLAN)
    assert "hấp cách thủy" in answered

    with console_bot.services.store.session() as session:
        asked = session.scalars(select(Question).order_by(Question.id.desc())).first()
        session.add(Feedback(question_id=asked.id, voter="v1", helpful=True))
        assert session.get(OfficerAnswer, 1).status == "published"
    done = await browser_client.get("/console/cauhoi")
    row = done.text[done.text.index("Đã xử lý gần đây") :]
    assert "đã đưa vào kho tri thức" in row and "đã gửi 2" in row and "1 / 0" in row
    assert "Chưa có câu hỏi nào bị bỏ ngỏ" in done.text


async def test_rejecting_needs_a_reason_and_gives_the_questions_back(
    console_bot, stub, browser_client
):
    await say(stub, MEMBER, FLAN)
    await say(stub, ADMIN, "/chuatraloi")
    assert "số 1" in await say(stub, ADMIN, f"/traloi 1 {ANSWER}")
    await sign_in(browser_client, await link_for(stub, ADMIN))
    page = await browser_client.get("/console/cauhoi")
    token = csrf_of(page.text)
    no_reason = await browser_client.post(
        "/console/cauhoi/1/tuchoi", data={"csrf": token, "ly_do": ""}, follow_redirects=True
    )
    assert "cần ghi lý do" in no_reason.text
    forged = await browser_client.post("/console/cauhoi/1/tuchoi", data={"csrf": "x", "ly_do": "a"})
    assert forged.status_code == 403
    rejected = await browser_client.post(
        "/console/cauhoi/1/tuchoi",
        data={"csrf": token, "ly_do": "chưa đủ ý"},
        follow_redirects=True,
    )
    assert "Đã từ chối câu trả lời số 1" in rejected.text
    assert "1. " + FLAN in rejected.text  # back in the list
    assert "chưa đủ ý" in rejected.text
    assert not told(stub, MEMBER)


async def test_a_revoked_moderator_may_no_longer_answer(console_bot, stub, browser_client):
    await say(stub, MEMBER, FLAN)
    await make_moderator(stub, MODERATOR)
    await sign_in(browser_client, await link_for(stub, MODERATOR))
    page = await browser_client.get("/console/cauhoi")
    key = re.search(r'name="nhom" value="(\d+)"', page.text).group(1)
    await say(stub, ADMIN, f"/thuhoi {MODERATOR}")
    form = {"csrf": csrf_of(page.text), "nhom": key, "noi_dung": ANSWER}
    assert (await browser_client.post("/console/cauhoi/traloi", data=form)).status_code == 403
    assert (await browser_client.get("/console/cauhoi")).status_code == 403
    with console_bot.services.store.session() as session:
        assert session.scalars(select(OfficerAnswer)).all() == []
