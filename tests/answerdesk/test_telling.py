"""Telling the members who asked: once each, durable, honest about what did not arrive."""

from __future__ import annotations

from answerdesk_helpers import ADMIN, FLAN, MEMBER
from sqlalchemy import select

from bot.answerdesk import telling
from bot.answerdesk.telling import Teller
from bot.errors import ChatGone, Uncertain, Unreachable
from bot.store import Asker

ANSWER = "Đánh đều trứng với sữa và đường, hấp cách thủy hai mươi phút."


def states(services) -> dict[str, str]:
    with services.store.session() as session:
        return {a.user_id: a.status for a in session.scalars(select(Asker))}


def fail_for(platform, faults: dict) -> None:
    """The next send to each chat in `faults` raises its error; other chats are served."""
    send = platform.send

    async def picky(chat, message, reply_to=None):
        if (error := faults.pop(chat, None)) is not None:
            raise error
        return await send(chat, message, reply_to)

    platform.send = picky


async def approved(say, desk, *members: str, faults=(), platform=None) -> None:
    """Members ask, the admin answers and approves (`faults`: (chat, error) for the
    private messages); publication waits for the test."""
    for member in members:
        await say(FLAN, user=member)
    if faults:
        fail_for(platform, dict(faults))
    await say("/chuatraloi", user=ADMIN)
    await say(f"/traloi 1 {ANSWER}", user=ADMIN)
    await say("/duyettl 1", user=ADMIN)
    await desk.idle()


async def test_a_blocked_member_is_unreachable_an_uncertain_send_is_never_repeated(
    say, platform, services, desk
):
    faults = [(MEMBER, ChatGone("Forbidden: bot was blocked by the user"))]
    faults.append(("3003", Uncertain("timed out")))
    await approved(say, desk, MEMBER, "3003", "4004", faults=faults, platform=platform)
    assert states(services) == {MEMBER: "unreachable", "3003": "uncertain", "4004": "sent"}
    with services.store.session() as session:
        reasons = {a.user_id: a.reason for a in session.scalars(select(Asker))}
    assert "blocked" in reasons[MEMBER]
    sends = len(platform.sent)
    assert await desk.publish(1) == {}  # another pass: nobody tried again
    assert len(platform.sent) == sends


async def test_a_platform_down_is_tried_again_on_the_next_pass(say, platform, services, desk):
    faults = [(MEMBER, Unreachable("connection refused"))]
    await approved(say, desk, MEMBER, faults=faults, platform=platform)
    assert states(services) == {MEMBER: "waiting"}
    assert await desk.publish(1) == {"sent": 1}
    assert states(services) == {MEMBER: "sent"}


async def test_members_of_a_platform_not_running_wait_for_it(say, platform, services, desk):
    await say(FLAN, user=MEMBER)
    services.platforms.pop("telegram")  # e.g. Telegram unreachable at start
    await say("/chuatraloi", user=ADMIN)
    await say(f"/traloi 1 {ANSWER}", user=ADMIN)
    await say("/duyettl 1", user=ADMIN)
    await desk.idle()
    assert states(services) == {MEMBER: "waiting"}
    services.platforms["telegram"] = platform
    assert await desk.publish(1) == {"sent": 1}


async def test_a_send_interrupted_by_a_stop_is_uncertain_at_the_next_start(
    say, platform, services, desk
):
    await approved(say, desk, MEMBER, faults=[(MEMBER, Unreachable("down"))], platform=platform)
    with services.store.session() as session:
        session.scalars(select(Asker)).one().status = telling.SENDING  # the process died here
    await desk.start()
    try:
        assert states(services) == {MEMBER: "uncertain"}
    finally:
        await desk.stop()


async def test_a_bridge_member_who_asked_in_a_group_without_a_private_chat_is_not_written_to(
    services,
):
    from bot.answerdesk import desk as desk_rows
    from bot.broadcast.approval import Actor
    from bot.commands import Role
    from bot.store import Question
    from testkit.fake_platform import FakePlatform

    mocha = FakePlatform("mocha")
    with services.store.session() as session:
        for user, chat_type in (("m1", "group"), ("m2", "group"), ("m3", "private")):
            question = Question(platform="mocha", chat_type=chat_type, text=FLAN, answered=False)
            session.add(question)
            session.flush()
            session.add(
                Asker(question_id=question.id, platform="mocha", user_id=user, chat_type=chat_type)
            )
    who = Actor("telegram", ADMIN, Role.ADMIN, "Quản trị")
    view = desk_rows.submit(services.store, [FLAN], FLAN, ANSWER, who)
    desk_rows.decide(services.store, view.id, who, True)
    teller = Teller(services.store, {"mocha": mocha}, lambda _p, user: user == "m2")
    done = await teller.tell(view.id, lambda asked: _message(asked))
    assert done == {"unreachable": 1, "sent": 2}
    assert sorted(s.chat_id for s in mocha.sent) == ["m2", "m3"]
    assert states(services) == {"m1": "unreachable", "m2": "sent", "m3": "sent"}


def _message(asked: str):
    from bot.chat import OutgoingMessage

    return OutgoingMessage(f"{asked}: {ANSWER}")
