"""The Questions page's charts: pure SVG from the day counts (bot/console/question_charts.py)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta

from bot.answerdesk.figures import Day, per_day
from bot.console.question_charts import answered_share, questions_per_day

SVG = "{http://www.w3.org/2000/svg}"
DAYS = [Day(date(2026, 11, 18) + timedelta(days=i), i % 4 * 5, i % 4 * 2) for i in range(14)]


def test_bars_show_every_day_with_its_figures_and_the_chart_is_labelled():
    svg = ET.fromstring(questions_per_day(DAYS))
    assert svg.get("role") == "img" and "tổng 95" in svg.get("aria-label")
    groups = svg.findall(f"{SVG}g")
    assert len(groups) == 14
    assert groups[3].find(f"{SVG}title").text == "21/11: 15 câu hỏi, trả lời được 6"
    tallest = max(float(r.get("height")) for g in groups for r in g.findall(f"{SVG}rect"))
    assert tallest <= 120


def test_the_share_line_skips_days_without_questions():
    svg = ET.fromstring(answered_share(DAYS))
    dots = svg.findall(f"{SVG}circle")
    assert len(dots) == sum(1 for d in DAYS if d.asked) and "cả kỳ 40%" in svg.get("aria-label")
    assert ET.fromstring(answered_share([])).get("role") == "img"  # an empty period draws


def test_days_are_local_days(services_for, settings):
    from zoneinfo import ZoneInfo

    from bot.store import Question

    services = services_for(settings)
    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    now = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)  # 03:00 on 2 Dec in Hanoi
    with services.store.session() as session:
        for at, ok in (
            (now, True),
            (now - timedelta(hours=4), False),
            (now - timedelta(days=30), True),
        ):
            session.add(Question(text="q", answered=ok, asked_at=at))
    days = per_day(services.store, zone, now)
    assert len(days) == 14 and days[-1].day == date(2026, 12, 2)
    assert (days[-1].asked, days[-1].answered) == (1, 1)
    assert (days[-2].asked, days[-2].answered) == (1, 0)  # 23:00 on 1 Dec in Hanoi
