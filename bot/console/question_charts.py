"""The Questions page's charts as inline SVG: no script, no image files, readable by a
screen reader (role="img" with a label, each bar titled with its figures)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from bot.answerdesk.figures import Day

WIDTH, HEIGHT, GAP = 336, 120, 4  # fits a 360 px phone; the SVG scales with the page
ANSWERED, UNANSWERED, LINE = "#1d7a33", "#d9a0a3", "#b3121b"


def _label(day: Day) -> str:
    return day.day.strftime("%d/%m")


def questions_per_day(days: Sequence[Day]) -> str:
    """Stacked bars: answered (green) under unanswered, one bar per day."""
    top = max((d.asked for d in days), default=0) or 1
    slot = WIDTH / max(len(days), 1)
    bars = []
    for i, day in enumerate(days):
        x = i * slot + GAP / 2
        asked_h = HEIGHT * day.asked / top
        ok_h = HEIGHT * day.answered / top
        tip = escape(f"{_label(day)}: {day.asked} câu hỏi, trả lời được {day.answered}")
        bars.append(
            f"<g><title>{tip}</title>"
            f'<rect x="{x:.1f}" y="{HEIGHT - asked_h:.1f}" width="{slot - GAP:.1f}" '
            f'height="{asked_h - ok_h:.1f}" fill="{UNANSWERED}"/>'
            f'<rect x="{x:.1f}" y="{HEIGHT - ok_h:.1f}" width="{slot - GAP:.1f}" '
            f'height="{ok_h:.1f}" fill="{ANSWERED}"/></g>'
        )
    total = sum(d.asked for d in days)
    label = escape(f"Số câu hỏi mỗi ngày trong {len(days)} ngày qua: tổng {total}")
    return _svg(label, "".join(bars), days)


def answered_share(days: Sequence[Day]) -> str:
    """The share of questions answered, day by day (a line; days without questions skipped)."""
    slot = WIDTH / max(len(days), 1)
    points = [
        (i * slot + slot / 2, HEIGHT - HEIGHT * d.share) for i, d in enumerate(days) if d.asked
    ]
    dots = "".join(
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{LINE}">'
        f"<title>{escape(_label(d))}: {100 * d.share:.0f}%</title></circle>"
        for (x, y), d in zip(points, [d for d in days if d.asked], strict=True)
    )
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    line = f'<polyline points="{path}" fill="none" stroke="{LINE}" stroke-width="2"/>'
    asked = sum(d.asked for d in days)
    share = 100 * sum(d.answered for d in days) / asked if asked else 0
    label = escape(f"Tỷ lệ câu hỏi được trả lời mỗi ngày; cả kỳ {share:.0f}%")
    guide = f'<line x1="0" y1="{HEIGHT / 2}" x2="{WIDTH}" y2="{HEIGHT / 2}" stroke="#ddd"/>'
    return _svg(label, guide + (line if len(points) > 1 else "") + dots, days)


def _svg(label: str, body: str, days: Sequence[Day]) -> str:
    slot = WIDTH / max(len(days), 1)
    ticks = "".join(
        f'<text x="{i * slot + slot / 2:.1f}" y="{HEIGHT + 14}" font-size="9" '
        f'text-anchor="middle">{escape(_label(d))}</text>'
        for i, d in enumerate(days)
        if len(days) <= 7 or (len(days) - 1 - i) % 2 == 0  # every other day, today shown
    )
    return (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT + 18}" role="img" '
        f'aria-label="{label}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{label}</title>{body}{ticks}</svg>"
    )
