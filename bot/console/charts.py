"""Charts as inline SVG: no JavaScript, no library; pure functions from values to markup.

Every chart carries a <title> and an aria-label that say in words what it shows, and the
numbers are in the page's table too: a chart is never the only place a figure is.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Series:
    """One colour of a stacked chart: its name and one value per bar."""

    name: str
    css: str  # a class the style sheet colours (sent, failed, uncertain …)
    values: Sequence[int]


def stacked_bars(
    labels: Sequence[str], series: Sequence[Series], title: str, width: int = 600
) -> str:
    """Horizontal bars, one per label, each split into the series' shares (counts)."""
    row, gap, left, legend = 22, 6, 120, 24
    height = legend + len(labels) * (row + gap) + gap
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    scale = (width - left - 50) / max(max(totals, default=0), 1)
    esc = html.escape
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{esc(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{esc(title)}</title>",
    ]
    x = left
    for s in series:  # the legend, on one line above the bars
        parts.append(f'<rect class="{esc(s.css)}" x="{x}" y="4" width="12" height="12"/>')
        parts.append(f'<text x="{x + 16}" y="14">{esc(s.name)}</text>')
        x += 24 + 8 * len(s.name)
    for i, label in enumerate(labels):
        y = legend + gap + i * (row + gap)
        parts.append(f'<text x="{left - 6}" y="{y + 15}" text-anchor="end">{esc(label)}</text>')
        x = float(left)
        for s in series:
            value = s.values[i]
            if value:
                w = value * scale
                parts.append(
                    f'<rect class="{esc(s.css)}" x="{x:.1f}" y="{y}" width="{w:.1f}" '
                    f'height="{row}"><title>{esc(s.name)}: {value}</title></rect>'
                )
                x += w
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 15}">{totals[i]}</text>')
    parts.append("</svg>")
    return "".join(parts)


def columns(
    labels: Sequence[str], values: Sequence[int], title: str, css: str = "bar", height: int = 160
) -> str:
    """Vertical columns, one per label (e.g. per day), the value above each."""
    col, gap, bottom, top = 18, 4, 20, 16
    width = max(len(labels) * (col + gap) + gap, 120)
    scale = (height - bottom - top) / max(max(values, default=0), 1)
    esc = html.escape
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{esc(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{esc(title)}</title>",
    ]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = gap + i * (col + gap)
        h = value * scale
        y = height - bottom - h
        parts.append(
            f'<rect class="{esc(css)}" x="{x}" y="{y:.1f}" width="{col}" height="{h:.1f}">'
            f"<title>{esc(label)}: {value}</title></rect>"
        )
        parts.append(
            f'<text x="{x + col / 2}" y="{height - 6}" text-anchor="middle">{esc(label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
