"""Members ask over real HTTP: private and group chats, addressed or not, buttons."""

from __future__ import annotations

from sqlalchemy import select
from telegram_helpers import GROUP, MEMBER, ask, buttons_of, replies_to, text_of

from bot.store import Chat, Feedback

QUESTION = "Ngày truyền thống Công an nhân dân là ngày nào?"


async def test_private_question_answered_with_source_and_buttons(stub, tg_bot):
    call = await ask(stub, MEMBER, MEMBER, QUESTION)
    assert call.params["parse_mode"] == "HTML"
    assert "19/8" in text_of(call) and "Nguồn:" in text_of(call)
    entities = {e["type"] for e in call.result.get("entities", [])}
    assert {"blockquote", "bold"} <= entities
    labels = [b["text"] for b in buttons_of(call)]
    assert labels[0].startswith("Kết quả khác") and labels[1:] == ["👍", "👎"]


async def test_group_answers_only_when_addressed(stub, tg_bot):
    ignored = stub.push_message(GROUP, MEMBER, QUESTION, title="Chi bộ 1")["message"]
    other_bot = stub.push_message(GROUP, MEMBER, f"/hoi@other_bot {QUESTION}")["message"]
    by_command = await ask(stub, GROUP, MEMBER, f"/hoi {QUESTION}")
    by_alias = await ask(stub, GROUP, MEMBER, f"/ask@stub_bot {QUESTION}")
    by_mention = await ask(stub, GROUP, MEMBER, f"@stub_bot {QUESTION}")
    by_reply = await ask(stub, GROUP, MEMBER, QUESTION, reply_to=by_command.result["message_id"])
    for call in (by_command, by_alias, by_mention, by_reply):
        assert "19/8" in text_of(call)
    assert replies_to(stub, GROUP, ignored["message_id"]) == []
    assert replies_to(stub, GROUP, other_bot["message_id"]) == []
    with tg_bot.store.session() as s:
        chat = s.scalars(select(Chat).where(Chat.chat_id == str(GROUP))).one()
    assert chat.active and chat.title == "Chi bộ 1"  # registered when first seen


async def test_more_results_edits_in_place_and_vote_is_recorded(stub, tg_bot):
    call = await ask(stub, MEMBER, MEMBER, QUESTION)
    mid = call.result["message_id"]
    more, up, _ = buttons_of(call)
    stub.push_callback(MEMBER, MEMBER, mid, more["callback_data"])
    [edit] = await stub.wait_for_async("editMessageText")
    assert edit.params["message_id"] == mid
    assert "Kết quả 2/" in stub.message(MEMBER, mid)["text"]
    stub.push_callback(MEMBER, MEMBER, mid, up["callback_data"])
    await stub.wait_for_async("answerCallbackQuery", count=2)
    answers = [c.params.get("text") for c in stub.calls_to("answerCallbackQuery")]
    assert answers[-1] == "Cảm ơn bạn đã góp ý!"
    with tg_bot.store.session() as s:
        assert [f.helpful for f in s.scalars(select(Feedback))] == [True]
    assert len(stub.calls_to("sendMessage")) == 1  # pages and votes never post anew


async def test_garbage_button_data_is_acknowledged(stub, tg_bot):
    call = await ask(stub, MEMBER, MEMBER, QUESTION)
    stub.push_callback(MEMBER, MEMBER, call.result["message_id"], "m:abc:<script>")
    [answer] = await stub.wait_for_async("answerCallbackQuery")
    assert answer.params["text"] == "Nút này không còn hiệu lực."


async def test_long_empty_sticker_messages(stub, tg_bot):
    long = await ask(stub, MEMBER, MEMBER, "chữ " * 2_500)
    assert "quá dài" in text_of(long)
    empty = await ask(stub, MEMBER, MEMBER, " ")
    assert "bằng chữ" in text_of(empty)
    sticker = stub.push_sticker(MEMBER, MEMBER)["message"]
    [reply] = await stub.wait_for_async(lambda: replies_to(stub, MEMBER, sticker["message_id"]))
    assert "bằng chữ" in text_of(reply)
    group_sticker = stub.push_sticker(GROUP, MEMBER)["message"]
    await ask(stub, GROUP, MEMBER, f"/hoi {QUESTION}")
    assert replies_to(stub, GROUP, group_sticker["message_id"]) == []


async def test_button_data_pressed_in_another_chat_is_refused(stub, tg_bot):
    """Issue 10 item 3 over real HTTP: a member's answer cannot be pulled into a group."""
    call = await ask(stub, MEMBER, MEMBER, QUESTION)
    more, up, _ = buttons_of(call)
    own = await ask(stub, GROUP, MEMBER, f"/hoi {QUESTION}")
    stub.push_callback(GROUP, MEMBER, own.result["message_id"], more["callback_data"])
    stub.push_callback(GROUP, MEMBER, own.result["message_id"], up["callback_data"])
    answers = await stub.wait_for_async("answerCallbackQuery", count=2)
    assert [a.params["text"] for a in answers] == ["Nút này không còn hiệu lực."] * 2
    assert stub.calls_to("editMessageText") == []
    with tg_bot.store.session() as s:
        assert list(s.scalars(select(Feedback))) == []


async def test_command_flood_in_a_group_leaves_room_for_another_members_answer(stub, tg_bot):
    """Issue 10 item 4 over real HTTP, with the stub's 20-a-minute group limit."""
    for _ in range(100):
        stub.push_message(GROUP, 3003, "/giup")
    await stub.wait_for_async(lambda: not stub.pending_updates, timeout=30)
    answer = await ask(stub, GROUP, MEMBER, f"/hoi {QUESTION}")
    assert "19/8" in text_of(answer)
    sent = [c for c in stub.calls_to("sendMessage") if c.params["chat_id"] == GROUP]
    assert len(sent) <= 7 and all(c.ok for c in sent)  # no 429 in the group
