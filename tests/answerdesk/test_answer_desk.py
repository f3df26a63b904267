"""From an unanswered question to an approved answer, in chat, with fakes (hash encoder)."""

from __future__ import annotations

from answerdesk_helpers import ADMIN, FLAN, MEMBER
from sqlalchemy import select

from bot.answerdesk.models import OfficerAnswer
from bot.store import Asker

ANSWER = "Đánh đều trứng với sữa và đường, hấp cách thủy hai mươi phút."
MODERATOR = "4242"


def told(platform, user: str) -> list[str]:
    return [t for t in platform.texts(user) if "Câu trả lời đã được duyệt" in t]


async def test_an_approved_answer_is_indexed_and_reaches_every_member_who_asked(
    say, platform, services, desk, kb
):
    assert "Nguồn:" not in await say(FLAN)  # declined, logged with who asked
    await say(FLAN.upper(), user="3003")  # the same wording, typed otherwise
    await say(FLAN, user="3003")  # twice by one member: told once
    await say(f"/hoi {FLAN}", user="5005", group=True)  # in a group

    listing = await say("/chuatraloi", user=ADMIN)
    assert "1. [" in listing and "×4" in listing and "bánh flan" in listing

    made = await say(f"/traloi 1\n{ANSWER}", user=ADMIN)  # the answer on its own line
    assert "Đã ghi câu trả lời số 1" in made and "4 lượt hỏi" in made
    assert "chờ người duyệt" in made
    assert "Chưa có câu hỏi nào" in await say("/chuatraloi", user=ADMIN)  # covered now

    approved = await say("/duyettl 1", user=ADMIN)  # an admin may approve their own
    assert "Đã duyệt câu trả lời số 1" in approved
    await desk.idle()

    document = kb.knowledge_dir / "hoi-dap" / "hoi-dap-00001.md"
    text = document.read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: ") and 'kind: "hoi-dap"' in text
    assert "approved_by:" in text
    from bot.knowledge.loaders import load_document

    read = load_document(document, kb.knowledge_dir)  # as the index reads it
    assert f"Hỏi: {FLAN}" in read.text and f"Đáp: {ANSWER}" in read.text
    assert any(c.kind == "hoi-dap" and ANSWER in c.text for c in kb.index.chunks)

    for member in (MEMBER, "3003", "5005"):
        [message] = told(platform, member)
        assert ANSWER in message and "Nguồn:" in message and "Hỏi đáp số 1" in message
    with services.store.session() as session:
        states = sorted(a.status for a in session.scalars(select(Asker)))
        assert states == ["sent"] * 4 and session.get(OfficerAnswer, 1).status == "published"

    assert await desk.publish(1) == {}  # again: nobody is told twice
    assert len(told(platform, "3003")) == 1

    again = await say(FLAN, user="6006")  # asked again: quoted from the approved answer
    assert "hấp cách thủy" in again and "Nguồn:" in again


async def test_bad_input_gets_a_vietnamese_reply(say, services):
    await say(FLAN)
    assert "chỉ dành cho người điều hành" in await say(f"/traloi 1 {ANSWER}")
    assert "chỉ dành cho người điều hành" in await say("/chuatraloi")
    assert "Cú pháp: /traloi" in await say("/traloi", user=ADMIN)
    assert "không phải số thứ tự" in await say("/traloi mot câu", user=ADMIN)
    assert "Không có nhóm câu hỏi số 7" in await say(f"/traloi 7 {ANSWER}", user=ADMIN)
    assert "Câu trả lời đang trống" in await say("/traloi 1", user=ADMIN)
    assert "tối đa 3000 ký tự" in await say("/traloi 1 " + "dài " * 800, user=ADMIN)
    assert "tin nhắn riêng" in await say(f"/traloi 1 {ANSWER}", user=ADMIN, group=True)
    assert "Cú pháp: /duyettl" in await say("/duyettl", user=ADMIN)
    assert "Không có câu trả lời số 9" in await say("/duyettl 9", user=ADMIN)
    with services.store.session() as session:
        assert session.scalars(select(OfficerAnswer)).all() == []


async def test_approvers_are_asked_and_a_moderator_never_approves_their_own(
    say, platform, services, desk
):
    await say(FLAN)
    await say(f"/capquyen {MODERATOR} duyet", user=ADMIN)
    await say("/capquyen 4343", user=ADMIN)  # a moderator, not an approver
    await say("/chuatraloi", user=MODERATOR)
    assert "số 1" in await say(f"/traloi 1 {ANSWER}", user=MODERATOR)
    [request] = [s for s in platform.sent if s.chat_id == ADMIN and s.message.buttons]
    assert "Cần duyệt" in request.text and ANSWER in request.text
    assert [b.data for b in request.message.buttons[0]] == ["hd:ok:1", "hd:no:1"]

    assert "không tự duyệt" in await say("/duyettl 1", user=MODERATOR)
    assert "không có quyền duyệt" in await say("/duyettl 1", user="4343")

    from bot.chat import ButtonPress

    press = ButtonPress("telegram", ADMIN, ADMIN, request.message_id, "hd:ok:1", "p1")
    await services.assistant.handle_press(press, platform)
    assert "Đã duyệt" in platform.presses[-1][1]
    assert "Đã duyệt" in request.text  # the buttons replaced by the decision
    assert any("Câu trả lời số 1 của bạn đã được duyệt" in t for t in platform.texts(MODERATOR))
    await services.assistant.handle_press(press, platform)  # pressed again
    assert "không ở trạng thái chờ duyệt" in platform.presses[-1][1]
    await desk.idle()
    assert told(platform, MEMBER)


async def test_a_rejected_answer_gives_its_questions_back(say, platform, services, desk):
    await say(FLAN)
    await say("/chuatraloi", user=ADMIN)
    await say(f"/traloi 1 {ANSWER}", user=ADMIN)
    rejected = await say("/tuchoitl 1 chưa đủ ý", user=ADMIN)
    assert "Đã từ chối câu trả lời số 1" in rejected
    assert "bánh flan" in await say("/chuatraloi", user=ADMIN)
    assert "không ở trạng thái chờ duyệt (bị từ chối)" in await say("/duyettl 1", user=ADMIN)
    await desk.idle()
    assert not told(platform, MEMBER)
    assert not (desk.knowledge_dir / "hoi-dap").exists()


async def test_help_lists_the_answer_desk_to_officers_only(say):
    assert "/traloi" not in await say("/giup")
    admin = await say("/giup", user=ADMIN)
    assert "/chuatraloi" in admin and "/traloi" in admin and "/duyettl" in admin
