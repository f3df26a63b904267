"""Issue 10 item 3: a button press is honoured only on the message that carried it.

Before: `m:<id>:0` pressed from any chat showed another member's answer (and searched for
it); a forged vote press voted on any question.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.assistant import asking as asking_module
from bot.chat import ButtonPress
from bot.store import Feedback

QUESTION = "Ngày truyền thống Công an nhân dân là ngày nào?"
REFUSED = "Nút này không còn hiệu lực."


@pytest.fixture
def searches(monkeypatch):
    """Count the searches the assistant runs (the real search, counted on the way)."""
    calls: list[str] = []
    real = asking_module.answer

    def counted(knowledge, question, max_chars):
        calls.append(question)
        return real(knowledge, question, max_chars)

    monkeypatch.setattr(asking_module, "answer", counted)
    return calls


def buttons(sent) -> tuple[str, str, str]:
    (more,), (up, down) = sent.message.buttons
    return more.data, up.data, down.data


async def test_press_copied_to_another_chat_is_refused_without_search(
    say, platform, assistant, searches
):
    await say(QUESTION, user="7")  # member 7's private question
    victim = platform.sent[0]
    more, up, _ = buttons(victim)
    # member 8 presses member 7's button data on a message of their own chat
    await say("xin chào", user="8")
    own = platform.sent[-1]
    before = len(searches)
    for data in (more, up, more.replace(":1:", ":0:")):
        press = ButtonPress("telegram", "8", "8", own.message_id, data, "p")
        await assistant.handle_press(press, platform)
    assert [text for _, text in platform.presses] == [REFUSED] * 3
    assert own.edits == [] and victim.edits == []
    assert len(searches) == before  # no search for a refused press
    assert all(QUESTION not in m.text for m in own.edits)


async def test_forged_unsigned_data_for_any_question_is_refused(say, platform, assistant, searches):
    await say(QUESTION)
    sent = platform.sent[0]
    before = len(searches)
    # the pre-fix shape, enumerating ids; pressed by an admin so that no update budget
    # (issue 10 item 4) stops the presses before the signature check does
    for qid in range(1, 40):
        for data in (f"m:{qid}:0", f"v:{qid}:1"):
            press = ButtonPress("telegram", sent.chat_id, "1001", sent.message_id, data, "p")
            await assistant.handle_press(press, platform)
    assert {text for _, text in platform.presses} == {REFUSED}
    assert sent.edits == [] and len(searches) == before


async def test_press_on_another_message_in_the_same_chat_is_refused(say, platform, assistant):
    await say(QUESTION, group=True)
    await say("Ai được kết nạp vào Đảng?", group=True)
    first, second = platform.sent[0], platform.sent[-1]
    more, _, _ = buttons(first)
    press = ButtonPress("telegram", "-500", "2002", second.message_id, more, "p")
    await assistant.handle_press(press, platform)
    assert platform.presses == [("p", REFUSED)]
    assert second.edits == [] and first.edits == []
    ok = ButtonPress("telegram", "-500", "2002", first.message_id, more, "q")
    await assistant.handle_press(ok, platform)
    assert platform.presses[-1] == ("q", "") and "Kết quả 2/" in first.current.text


async def test_one_vote_per_member_per_answer_and_none_on_other_questions(
    say, platform, assistant, services
):
    await say(QUESTION, user="7")
    await say(QUESTION, user="8")
    seven, eight = platform.sent
    _, up7, down7 = buttons(seven)
    _, up8, _ = buttons(eight)
    presses = [
        ("7", seven, up7),
        ("7", seven, up7),  # a second press: still one vote
        ("7", seven, down7),  # changed, not added
        ("7", seven, up8),  # member 8's vote data pressed in member 7's chat
        ("8", seven, up7),  # member 8 cannot press in member 7's private chat either
    ]
    for user, sent, data in presses:
        chat = sent.chat_id if user == "7" else "8"
        await assistant.handle_press(
            ButtonPress("telegram", chat, user, sent.message_id, data, "v"), platform
        )
    with services.store.session() as s:
        votes = [f.helpful for f in s.scalars(select(Feedback))]
        total = s.scalar(select(func.count()).select_from(Feedback))
    assert votes == [False] and total == 1
    notes = [text for _, text in platform.presses]
    assert notes[3:] == [REFUSED, REFUSED]


async def test_after_a_restart_the_chat_binding_still_holds(say, platform, services, kb):
    from bot.app import build_services

    await say(QUESTION, user="7")
    sent = platform.sent[0]
    more, _, _ = buttons(sent)
    fresh = build_services(services.settings, knowledge=kb)  # same key file, empty memory
    try:
        elsewhere = ButtonPress("telegram", "8", "8", sent.message_id, more, "x")
        await fresh.assistant.handle_press(elsewhere, platform)
        assert platform.presses == [("x", REFUSED)] and sent.edits == []
        here = ButtonPress("telegram", sent.chat_id, "7", sent.message_id, more, "y")
        await fresh.assistant.handle_press(here, platform)
        assert "Kết quả 2/" in sent.current.text
    finally:
        fresh.store.close()
