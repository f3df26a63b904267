"""Members, moderators and admins talking to the bot through a connector, over real HTTP."""

from __future__ import annotations

import time

import httpx
from bridge_helpers import ADMIN, MEMBER, MODERATOR, QUESTION, chats


async def test_a_question_gets_its_quoted_answer_and_source_at_the_receiver(connector, receiver):
    message_id, response = await connector.say("c1", MEMBER, QUESTION)
    assert response.status_code == 202
    assert response.json() == {"status": "accepted", "type": "message", "id": f"c1/{message_id}"}
    [reply] = await receiver.wait_for(lambda: receiver.sends("c1"))
    assert reply["platform"] == "mocha" and reply["reply_to_message_id"] == message_id
    assert "19/8" in reply["text"] and "Nguồn:" in reply["text"]
    assert "<blockquote>" in reply["html"] and "<" not in reply["text"]
    labels = [b["text"] for row in reply["buttons"] for b in row]
    assert "👍" in labels and all(b.get("data") for row in reply["buttons"] for b in row)
    assert all(p.signed for p in receiver.posts)


async def test_group_talk_is_registered_but_only_addressed_messages_are_answered(
    bridge_bot, connector, receiver
):
    store = bridge_bot.services.store
    _, quiet = await connector.say(
        "g1", MEMBER, "chào cả nhà", chat_type="group", chat_title="Chi bộ 1"
    )
    mid, _ = await connector.say("g1", MEMBER, QUESTION, chat_type="group", addressed=True)
    [reply] = await receiver.wait_for(lambda: receiver.sends("g1"))
    assert quiet.status_code == 202 and reply["reply_to_message_id"] == mid
    assert chats(store)["g1"] == ("Chi bộ 1", True)
    # a command is addressed by itself; the @name after it is the messenger's business
    await connector.say("g1", MEMBER, "/giup@trolybot", chat_type="group")
    await receiver.wait_for(lambda: len(receiver.sends("g1")) == 2)
    assert "Trợ lý hỏi đáp" in receiver.sends("g1")[1]["text"]


async def test_membership_events_keep_the_group_registry(bridge_bot, connector):
    store = bridge_bot.services.store

    async def event(status: str, event_id: str) -> httpx.Response:
        return await connector.post(
            {
                "type": "membership",
                "chat_id": "g9",
                "chat_title": "Chi bộ 9",
                "status": status,
                "event_id": event_id,
            }
        )

    assert (await event("member", "e1")).status_code == 202
    await _until(lambda: chats(store).get("g9") == ("Chi bộ 9", True))
    assert (await event("left", "e2")).status_code == 202
    await _until(lambda: chats(store).get("g9") == ("Chi bộ 9", False))
    assert (await event("left", "e2")).status_code == 409  # the same event again


async def test_a_vote_press_is_answered(connector, receiver):
    await connector.say("c2", MEMBER, QUESTION)
    [reply] = await receiver.wait_for(lambda: receiver.sends("c2"))
    vote = next(b["data"] for row in reply["buttons"] for b in row if b["text"] == "👍")
    response = await connector.post(
        {
            "type": "press",
            "chat_id": "c2",
            "user_id": MEMBER,
            "data": vote,
            "message_id": "bot-1",
            "press_id": "p-1",
        }
    )
    assert response.status_code == 202
    [ack] = await receiver.wait_for(
        lambda: [b for b in receiver.delivered.values() if b["action"] == "answer_press"]
    )
    assert ack["press_id"] == "p-1" and ack["text"] == "Cảm ơn bạn đã góp ý!"


async def test_roles_come_from_the_platform_settings(connector, receiver):
    for user in (ADMIN, MODERATOR, MEMBER):
        await connector.say(f"u{user}", user, "/thongke")
    got = await receiver.wait_for(
        lambda: len(receiver.sends()) == 3 and {b["chat_id"]: b["text"] for b in receiver.sends()}
    )
    assert "Thống kê" in got[f"u{ADMIN}"] or "câu hỏi" in got[f"u{ADMIN}"]
    assert "quản trị" in got[f"u{MODERATOR}"] and "quản trị" in got[f"u{MEMBER}"]
    await connector.say(f"u{MODERATOR}", MODERATOR, "/giup")
    await connector.say(f"u{MEMBER}", MEMBER, "/giup")
    helps = await receiver.wait_for(
        lambda: len(receiver.sends()) == 5 and [b["text"] for b in receiver.sends()[3:]]
    )
    by_chat = {b["chat_id"]: b["text"] for b in receiver.sends()[3:]}
    assert len(by_chat[f"u{MODERATOR}"]) > len(by_chat[f"u{MEMBER}"])  # more commands listed
    assert helps


async def _until(predicate, timeout: float = 5.0) -> None:
    import asyncio

    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached"
        await asyncio.sleep(0.02)
