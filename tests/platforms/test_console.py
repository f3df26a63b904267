"""The console chat: a Platform driven by the same Assistant (paging, declines, /hoi, log, help)."""

from __future__ import annotations

import io

from sqlalchemy import select

from bot import replies
from bot.store import Feedback, Question

ANSWERED = "Ngày truyền thống Công an nhân dân là ngày nào?"
DECLINED = "Công thức làm bánh flan"


async def talk(services, *lines: str) -> str:
    from bot.cli.console import chat

    out = io.StringIO()
    assert await chat(services, io.StringIO("\n".join(lines) + "\n"), out) == 0
    return out.getvalue()


def tuned(settings):
    return settings.model_copy(update={"answer_threshold": 0.3})


async def test_answers_page_with_khac_and_vote_with_a_number(settings, services_for):
    services = services_for(tuned(settings))
    out = await talk(services, ANSWERED, "/khac", "!2")
    assert "19/8" in out and "Nguồn:" in out
    assert "[!1] Kết quả khác (2/" in out and "Kết quả 2/" in out  # the page button, pressed
    assert replies.THANKS_FOR_VOTE in out
    with services.store.session() as session:
        assert [q.platform for q in session.scalars(select(Question))] == ["console"]
        assert len(session.scalars(select(Feedback)).all()) == 1


async def test_a_decline_is_logged_and_has_no_more_results(settings, services_for):
    services = services_for(tuned(settings))
    out = await talk(services, ANSWERED, DECLINED, "/khac", "/chuatraloi")
    decline = out.index(replies.render_no_answer())
    assert "Không còn kết quả khác." in out[decline:]  # not the previous answer's pages
    assert "Kết quả 2/" not in out
    assert "1. [" in out and DECLINED in out[out.index("Câu hỏi chưa có câu trả lời") :]
    with services.store.session() as session:
        logged = session.scalars(select(Question).where(Question.answered.is_(False))).all()
        assert [q.text for q in logged] == [DECLINED]


async def test_hoi_help_and_unknown_commands_are_the_assistants(settings, services_for):
    services = services_for(tuned(settings))
    out = await talk(services, f"/hoi {ANSWERED}", "/giup", "/lenh-la", "", "/thoat", ANSWERED)
    assert "19/8" in out
    assert "/hoi /ask — hỏi một câu" in out  # the same help as Telegram's
    assert "Lệnh không có." in out
    assert out.count("19/8") == out[: out.index("/hoi /ask")].count("19/8")  # nothing after /thoat
