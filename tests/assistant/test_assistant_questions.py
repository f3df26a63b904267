"""Members ask: answers with source and buttons, declines, limits, paging and votes."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.chat import ButtonPress
from bot.store import Feedback, Question

QUESTION = "Ngày truyền thống Công an nhân dân là ngày nào?"


async def test_private_question_gets_quote_source_and_buttons(say, platform):
    await say(QUESTION)
    [sent] = platform.sent
    assert sent.chat_id == "2002" and sent.reply_to == "1"
    assert "<blockquote>" in sent.text and "<b>" in sent.text
    assert "Nguồn:" in sent.text
    data = [b.data for row in sent.message.buttons for b in row]
    assert any(d.startswith("m:") for d in data) and any(d.startswith("v:") for d in data)
    assert all(len(d.encode()) < 64 for d in data)


async def test_off_topic_question_is_declined_and_logged(say, platform, services):
    await say("Công thức làm bánh flan caramel ngon nhất là gì?")
    [sent] = platform.sent
    assert "chưa có nội dung đã được phê duyệt" in sent.text
    assert not sent.message.buttons
    with services.store.session() as s:
        row = s.scalars(select(Question)).one()
    assert row.answered is False and "bánh flan" in row.text


async def test_group_talk_not_addressed_gets_no_reply(say, platform):
    await say(QUESTION, group=True, addressed=False)
    assert platform.sent == []


async def test_hoi_command_in_group(say, platform):
    await say(f"/hoi {QUESTION}", group=True)
    assert "Nguồn:" in platform.sent[0].text
    await say("/hoi", group=True)
    assert "Cú pháp" in platform.sent[1].text


async def test_overlong_and_empty_questions_are_refused_politely(say, platform):
    await say("a" * 10_000)
    await say("   ")
    await say("?!?!")
    long, empty, symbols = platform.texts()
    assert "quá dài" in long
    assert "chỉ đọc được câu hỏi bằng chữ" in empty
    assert "bằng chữ" in symbols


async def test_rate_limit_warns_once_and_skips_search(say, platform, services):
    for _ in range(8):
        await say(QUESTION, user="3003")
    texts = platform.texts()
    assert sum("hỏi hơi nhanh" in t for t in texts) == 1
    assert len(texts) == 6  # 5 answers, 1 warning, then silence
    with services.store.session() as s:
        assert s.scalar(select(func.count()).select_from(Question)) == 5


async def test_admin_is_not_rate_limited(say, platform):
    for _ in range(8):
        await say(QUESTION, user="1001")
    texts = platform.texts()
    assert len(texts) == 8 and all("Nguồn:" in t for t in texts)  # eight answers, no warning


async def test_more_results_edit_in_place_and_cycle(say, platform, assistant):
    await say(QUESTION)
    sent = platform.sent[0]
    more = sent.message.buttons[0][0].data
    for i in range(5):
        await assistant.handle_press(
            ButtonPress("telegram", sent.chat_id, "2002", sent.message_id, more, f"p{i}"), platform
        )
        more = sent.current.buttons[0][0].data
    assert len(platform.sent) == 1  # no new messages: edited in place
    assert len(sent.edits) == 5
    assert "Kết quả 2/" in sent.edits[0].text
    assert sent.edits[-1].text == sent.message.text  # back to the first after a full cycle
    assert [text for _, text in platform.presses] == [""] * 5  # each press acknowledged


async def test_votes_one_per_user_changeable(say, platform, assistant, services):
    await say(QUESTION)
    sent = platform.sent[0]
    up, down = (b.data for b in sent.message.buttons[-1])
    for user, data in [("7", up), ("7", down), ("8", up)]:
        press = ButtonPress("telegram", sent.chat_id, user, sent.message_id, data, "x")
        await assistant.handle_press(press, platform)
    with services.store.session() as s:
        votes = sorted(f.helpful for f in s.scalars(select(Feedback)))
        voters = {f.voter for f in s.scalars(select(Feedback))}
    assert votes == [False, True]
    assert "7" not in voters and "8" not in voters  # hashed, not user ids
    assert platform.presses[0][1].startswith("Cảm ơn")


async def test_stale_and_garbage_buttons(say, platform, assistant):
    for data in ["m:999999:1", "v:424242:1", "garbage", "", "m:1:99999999", "x" * 200]:
        await assistant.handle_press(ButtonPress("telegram", "1", "2", "3", data, "q"), platform)
    assert len(platform.presses) == 6
    assert all(text == "Nút này không còn hiệu lực." for _, text in platform.presses)
    assert platform.sent == []


async def test_paging_survives_a_restart(say, platform, services, kb):
    from bot.app import build_services

    await say(QUESTION)
    sent = platform.sent[0]
    more = sent.message.buttons[0][0].data
    fresh = build_services(services.settings, knowledge=kb)  # new process: empty cache
    press = ButtonPress("telegram", sent.chat_id, "2002", sent.message_id, more, "p")
    await fresh.assistant.handle_press(press, platform)
    assert "Kết quả 2/" in sent.current.text
    fresh.store.close()
