"""Issue 10 item 4: fair limits for every kind of update, and no reply silently dropped.

Before: only questions were limited; 100 /giup from one member used a group's 20/min and
another member's answer was dropped (a 58 s retry_after past the courier's wait).
"""

from __future__ import annotations

import logging

from bot.assistant.delivery import FAILED, SENT, Courier
from bot.chat import ButtonPress
from bot.errors import RetryLater

QUESTION = "Ngày truyền thống Công an nhân dân là ngày nào?"


async def test_command_flood_cannot_starve_another_members_answer(say, platform):
    for _ in range(100):
        await say("/giup", user="3003", group=True)
    flood = platform.texts("-500")
    assert len(flood) <= 6  # the group's command budget, then one warning, then silence
    assert sum("thao tác hơi nhanh" in t for t in flood) == 1
    await say(f"/hoi {QUESTION}", user="2002", group=True)
    assert "Nguồn:" in platform.texts("-500")[-1]


async def test_one_budget_across_commands_questions_and_presses(say, platform, assistant):
    await say(QUESTION, user="3003")
    sent = platform.sent[0]
    more = sent.message.buttons[0][0].data
    for i in range(30):  # presses draw from the same budget as the question did
        press = ButtonPress("telegram", "3003", "3003", sent.message_id, more, f"p{i}")
        await assistant.handle_press(press, platform)
        more = sent.current.buttons[0][0].data
    assert len(sent.edits) == 9  # 10 updates in a burst: 1 question + 9 presses
    assert all("thao tác hơi nhanh" in text for _, text in platform.presses[9:])
    await say("/giup", user="3003")  # and commands too: still refused
    assert "thao tác hơi nhanh" not in platform.texts("3003")[-1]  # warned once already
    assert len(platform.texts("3003")) == 1


async def test_admin_has_no_update_budget(say, platform):
    for _ in range(30):
        await say("/giup", user="1001")
    assert len(platform.texts("1001")) == 30


class Sleeps:
    def __init__(self) -> None:
        self.slept: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.slept.append(seconds)


async def test_reply_held_past_max_wait_by_a_flood_limit_is_still_delivered():
    from testkit.fake_platform import FakePlatform

    platform, sleeps = FakePlatform("telegram"), Sleeps()
    courier = Courier(max_wait=30, sleep=sleeps)
    platform.fail("send", RetryLater(58))
    assert await courier.send(platform, "-500", "câu trả lời") is not None
    assert sleeps.slept == [58] and platform.texts("-500") == ["câu trả lời"]
    assert courier.outcomes[("telegram", SENT)] == 1


async def test_reply_held_longer_than_max_hold_is_reported_not_silently_dropped(caplog):
    from testkit.fake_platform import FakePlatform

    platform, sleeps = FakePlatform("telegram"), Sleeps()
    courier = Courier(max_wait=30, max_hold=120, sleep=sleeps)
    platform.fail("send", RetryLater(3600))
    with caplog.at_level(logging.ERROR):
        assert await courier.send(platform, "-500", "câu trả lời") is None
    assert courier.outcomes[("telegram", FAILED)] == 1  # counted in /metrics
    assert any("not delivered: flood limit" in r.getMessage() for r in caplog.records)
