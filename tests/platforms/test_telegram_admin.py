"""Admins over real HTTP: reload while members ask, refusals, roles, uploads, unanswered, stats."""

from __future__ import annotations

import asyncio
import threading

from sqlalchemy import select
from telegram_helpers import ADMIN, GROUP, MEMBER, ask, eventually, replies_to, text_of

from bot.store import Moderator

QUESTION = "Ngày truyền thống Công an nhân dân là ngày nào?"
NEW_DOC = """---
title: Hướng dẫn sinh hoạt chi bộ
date: 01/02/2025
---

I - QUY ĐỊNH CHUNG

1. Chi bộ sinh hoạt định kỳ mỗi tháng một lần vào ngày mồng năm hằng tháng.
"""


def gate(kb):
    """Hold the next rebuild at its first progress report until the event is set."""
    opened = threading.Event()
    reached = threading.Event()
    rebuild = kb.rebuild

    def gated(progress=None, *, force=False):
        def hold(stage, done, total):
            reached.set()
            opened.wait(10)
            if progress:
                progress(stage, done, total)

        return rebuild(hold, force=force)

    kb.rebuild = gated
    return reached, opened


async def test_reload_while_members_ask(stub, tg_bot, tg_kb):
    (tg_kb.knowledge_dir / "sinh-hoat.md").write_text(NEW_DOC, encoding="utf-8")
    reached, opened = gate(tg_kb)
    command = stub.push_message(ADMIN, ADMIN, "/reload")["message"]
    [progress] = await stub.wait_for_async(lambda: replies_to(stub, ADMIN, command["message_id"]))
    assert "Đang cập nhật" in text_of(progress)
    assert await asyncio.to_thread(reached.wait, 5)
    # the build is held: members are still answered from the old index
    for user in (3001, 3002, 3003):
        assert "19/8" in text_of(await ask(stub, user, user, QUESTION))
    busy = await ask(stub, ADMIN, ADMIN, "/capnhat")
    assert "đang được cập nhật" in text_of(busy)
    opened.set()
    pid = progress.result["message_id"]
    await stub.wait_for_async(lambda: "Đã cập nhật" in stub.message(ADMIN, pid)["text"])
    summary = stub.message(ADMIN, pid)["text"]
    assert "2 tài liệu" in summary and "giây" in summary
    assert len(replies_to(stub, ADMIN, command["message_id"])) == 1  # one message, edited
    assert len(stub.calls_to("editMessageText")) >= 2  # progress, then summary
    answer = await ask(stub, MEMBER, MEMBER, "Chi bộ sinh hoạt định kỳ vào ngày nào?")
    assert "mồng năm" in text_of(answer)


async def test_failed_reload_reports_reason_and_old_index_serves(stub, tg_bot, tg_kb):
    tg_kb.knowledge_dir.rename(tg_kb.knowledge_dir.with_name("gone"))
    command = stub.push_message(ADMIN, ADMIN, "/reload")["message"]
    [progress] = await stub.wait_for_async(lambda: replies_to(stub, ADMIN, command["message_id"]))
    pid = progress.result["message_id"]
    await stub.wait_for_async(lambda: "thất bại" in stub.message(ADMIN, pid)["text"])
    assert "Không có thư mục tài liệu" in stub.message(ADMIN, pid)["text"]
    assert "19/8" in text_of(await ask(stub, MEMBER, MEMBER, QUESTION))


async def test_admin_commands_refused_to_members(stub, tg_bot, tg_kb):
    built = tg_kb.index.path
    for command in ("/reload", "/grant 4242", "/revoke 1001", "/stats"):
        reply = await ask(stub, MEMBER, MEMBER, command)
        assert "chỉ dành cho quản trị" in text_of(reply), command
    for command in ("/unanswered", "/traloi 1 Có."):  # the answer desk: officers
        reply = await ask(stub, MEMBER, MEMBER, command)
        assert "chỉ dành cho người điều hành" in text_of(reply), command
    reply = await ask(stub, GROUP, MEMBER, "/capnhat@stub_bot")
    assert "chỉ dành cho quản trị" in text_of(reply)
    assert tg_kb.index.path == built and not tg_bot.reloader.running
    with tg_bot.store.session() as s:
        assert s.scalars(select(Moderator)).all() == []


async def test_grant_by_reply_and_by_id_then_revoke(stub, tg_bot):
    said = stub.push_message(GROUP, 4242, "xin chào mọi người")["message"]
    granted = await ask(stub, GROUP, ADMIN, "/grant", reply_to=said["message_id"])
    assert "Đã cấp quyền" in text_of(granted) and "4242" in text_of(granted)
    assert "đã là người điều hành" in text_of(await ask(stub, ADMIN, ADMIN, "/grant 4242"))
    assert "Đã cấp quyền" in text_of(await ask(stub, ADMIN, ADMIN, "/capquyen 5353 duyet"))
    help_text = text_of(await ask(stub, 4242, 4242, "/help"))
    assert "người điều hành" in help_text and "/reload" not in help_text
    with tg_bot.store.session() as s:
        rows = {m.user_id: m.approver for m in s.scalars(select(Moderator))}
    assert rows == {"4242": False, "5353": True}
    assert "Đã thu hồi" in text_of(await ask(stub, ADMIN, ADMIN, "/revoke 4242"))
    assert "không phải người điều hành" in text_of(await ask(stub, ADMIN, ADMIN, "/revoke 4242"))
    assert "đã là quản trị" in text_of(await ask(stub, ADMIN, ADMIN, f"/grant {ADMIN}"))
    assert "Cú pháp" in text_of(await ask(stub, ADMIN, ADMIN, "/grant"))


async def test_anonymous_admin_may_ask_but_not_command(stub, tg_bot):
    from testkit import ANONYMOUS_ADMIN_ID

    refused = await ask(stub, GROUP, ANONYMOUS_ADMIN_ID, "/reload", sender_chat=GROUP)
    assert "ẩn danh" in text_of(refused)
    answered = await ask(stub, GROUP, ANONYMOUS_ADMIN_ID, f"/hoi {QUESTION}", sender_chat=GROUP)
    assert "19/8" in text_of(answered)
    assert not tg_bot.reloader.running


async def test_help_lists_commands_by_role(stub, tg_bot):
    member = text_of(await ask(stub, MEMBER, MEMBER, "/start"))
    admin = text_of(await ask(stub, ADMIN, ADMIN, "/help"))
    assert "/hoi" in member and "/reload" not in member
    assert "/reload" in admin and "/grant" in admin and "/stats" in admin
    group = text_of(await ask(stub, GROUP, MEMBER, "/help@stub_bot"))
    assert "nhắc tên tôi" in group


async def test_unanswered_and_stats(stub, tg_bot):
    await ask(stub, MEMBER, MEMBER, "Công thức làm bánh flan caramel ngon nhất là gì?")
    await ask(stub, MEMBER, MEMBER, "Công thức làm bánh flan caramel ngon nhất là gì?")
    await ask(stub, MEMBER, MEMBER, QUESTION)
    unanswered = text_of(await ask(stub, ADMIN, ADMIN, "/unanswered"))
    assert "bánh flan" in unanswered and "×2" in unanswered and "Công an" not in unanswered
    # the stub has a reply before the courier, back from the call, counts it: wait for that
    outcomes = tg_bot.assistant.courier.outcomes
    await eventually(lambda: outcomes[("telegram", "sent")] >= 4, timeout=30)
    stats = text_of(await ask(stub, ADMIN, ADMIN, "/thongke"))
    assert "Câu hỏi: 3 (trả lời được 1, 33%)" in stats
    assert "1 tài liệu" in stats
    # the three answers and the /unanswered list, each counted once as it was delivered
    assert "Tin trả lời từ lúc khởi động: đã gửi 4 · không gửi được 0" in stats
