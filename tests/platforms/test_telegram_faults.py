"""Telegram errors on a reply never stop the bot: 429 honoured, 403/400 mark the chat gone."""

from __future__ import annotations

import time

from sqlalchemy import select
from telegram_helpers import ADMIN, GROUP, MEMBER, ask, eventually, replies_to, text_of

from bot.store import Chat

QUESTION = "Ngày truyền thống Công an nhân dân là ngày nào?"


def chat_row(services, chat_id: int) -> Chat | None:
    with services.store.session() as s:
        return s.scalars(select(Chat).where(Chat.chat_id == str(chat_id))).first()


async def test_429_on_a_reply_is_retried_after_the_wait(stub, tg_bot):
    stub.fail_next("sendMessage", MEMBER, 429, retry_after=1)
    started = time.monotonic()
    call = await ask(stub, MEMBER, MEMBER, QUESTION)
    assert time.monotonic() - started >= 1.0
    assert "19/8" in text_of(call)
    assert stub.count_429 == 1


async def test_403_and_400_on_replies_mark_group_gone_and_bot_goes_on(stub, tg_bot):
    other = -600
    stub.push_my_chat_member(GROUP, "Chi bộ 1", "left", "member", by_user=ADMIN)
    stub.push_my_chat_member(other, "Chi bộ 2", "left", "member", by_user=ADMIN)
    await eventually(lambda: chat_row(tg_bot, GROUP) and chat_row(tg_bot, other))
    stub.fail_next("sendMessage", GROUP, 403, "Forbidden: bot was kicked from the group chat")
    stub.fail_next("sendMessage", other, 400)  # "Bad Request: chat not found"
    first = stub.push_message(GROUP, MEMBER, f"/hoi {QUESTION}")["message"]
    second = stub.push_message(other, MEMBER, f"/hoi {QUESTION}")["message"]
    await eventually(lambda: not chat_row(tg_bot, GROUP).active)
    await eventually(lambda: not chat_row(tg_bot, other).active)
    assert "kicked" in chat_row(tg_bot, GROUP).inactive_reason
    assert replies_to(stub, GROUP, first["message_id"]) == []
    assert replies_to(stub, other, second["message_id"]) == []
    # a private chat that blocked the bot, then: the bot keeps answering everyone else
    stub.block_chat(3003)
    stub.push_message(3003, 3003, QUESTION)
    assert "19/8" in text_of(await ask(stub, MEMBER, MEMBER, QUESTION))


async def test_bad_request_on_a_reply_is_logged_and_dropped(stub, tg_bot, caplog):
    stub.fail_next("sendMessage", MEMBER, 400, "Bad Request: can't parse entities")
    lost = stub.push_message(MEMBER, MEMBER, QUESTION)["message"]
    await stub.wait_for_async(lambda: stub.calls_to("sendMessage"))
    assert replies_to(stub, MEMBER, lost["message_id"]) == []
    assert "19/8" in text_of(await ask(stub, MEMBER, MEMBER, QUESTION))
    assert any("rejected" in r.getMessage() for r in caplog.records)


async def test_membership_updates_keep_the_registry(stub, tg_bot):
    stub.push_my_chat_member(GROUP, "Chi bộ 1", "left", "member", by_user=ADMIN)
    await eventually(lambda: chat_row(tg_bot, GROUP))
    stub.push_my_chat_member(GROUP, "Chi bộ 1", "member", "administrator", by_user=ADMIN)
    await eventually(lambda: chat_row(tg_bot, GROUP).bot_is_admin)
    stub.push_my_chat_member(GROUP, "Chi bộ 1", "administrator", "kicked", by_user=ADMIN)
    await eventually(lambda: not chat_row(tg_bot, GROUP).active)
    row = chat_row(tg_bot, GROUP)
    assert row.chat_type == "group" and not row.bot_is_admin and row.title == "Chi bộ 1"
    # the bot added back: active again
    stub.push_my_chat_member(GROUP, "Chi bộ 1", "left", "member", by_user=ADMIN)
    await eventually(lambda: chat_row(tg_bot, GROUP).active)
