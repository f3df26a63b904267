"""The answer desk over real HTTP: /traloi, approval by button, the member told privately."""

from __future__ import annotations

from sqlalchemy import select
from telegram_helpers import ADMIN, GROUP, MEMBER, ask, buttons_of, eventually, text_of

from bot.store import Asker

FLAN = "Công thức làm bánh flan caramel ngon nhất là gì?"
ANSWER = "Đánh đều trứng với sữa và đường, hấp cách thủy hai mươi phút."
MODERATOR = 4242
STRANGER = 3003  # asks in a group, never opened a private chat with the bot


def told(stub, chat_id: int) -> list[str]:
    return [
        call.result["text"]
        for call in stub.calls_to("sendMessage")
        if call.ok
        and int(call.params["chat_id"]) == chat_id
        and "Câu trả lời đã được duyệt" in call.result["text"]
    ]


async def test_an_officers_answer_approved_by_button_reaches_the_member(stub, tg_bot):
    assert "Nguồn:" not in text_of(await ask(stub, MEMBER, MEMBER, FLAN))
    assert "Nguồn:" not in text_of(await ask(stub, GROUP, STRANGER, f"/hoi@stub_bot {FLAN}"))
    await ask(stub, ADMIN, ADMIN, f"/capquyen {MODERATOR} duyet")
    assert "Cú pháp: /traloi" in text_of(await ask(stub, MODERATOR, MODERATOR, "/traloi"))
    listing = text_of(await ask(stub, MODERATOR, MODERATOR, "/chuatraloi"))
    assert "1. [" in listing and "×2" in listing
    made = text_of(await ask(stub, MODERATOR, MODERATOR, f"/traloi 1 {ANSWER}"))
    assert "Đã ghi câu trả lời số 1" in made

    def request():
        return [
            c
            for c in stub.calls_to("sendMessage")
            if c.ok and int(c.params["chat_id"]) == ADMIN and "Cần duyệt" in c.result["text"]
        ]

    [asked] = await stub.wait_for_async(request, timeout=10)
    assert ANSWER in text_of(asked)
    assert [b["callback_data"] for b in buttons_of(asked)] == ["hd:ok:1", "hd:no:1"]
    stub.push_callback(ADMIN, ADMIN, asked.result["message_id"], "hd:ok:1")

    [message] = await stub.wait_for_async(lambda: told(stub, MEMBER), timeout=30)
    assert ANSWER in message and "Nguồn: Hỏi đáp số 1" in message and FLAN in message
    await stub.wait_for_async(
        lambda: any(
            "đã được duyệt" in t for t in (m["text"] for m in stub.sent_messages(MODERATOR))
        ),
        timeout=10,
    )

    def outcome():
        with tg_bot.store.session() as session:
            found = {a.user_id: a.status for a in session.scalars(select(Asker))}
        settled = not {"waiting", "sending"} & set(found.values())
        return found if settled and len(found) == 2 else None

    # Telegram refuses a first message to someone who never opened a chat with the bot
    assert await eventually(outcome, timeout=30) == {
        str(MEMBER): "sent",
        str(STRANGER): "unreachable",
    }
    await tg_bot.answer_desk.idle()
    again = text_of(await ask(stub, MEMBER, 5005, FLAN))
    assert "hấp cách thủy" in again and "Nguồn:" in again
    assert len(told(stub, MEMBER)) == 1
