"""Telegram HTML as a browser may show it: only what Telegram renders, nothing else."""

from __future__ import annotations

import html

from bot.markup.entities import EntityParseError, parse_html, utf16_len

_WEB_TAGS = {
    "bold": ("<b>", "</b>"),
    "italic": ("<i>", "</i>"),
    "underline": ("<u>", "</u>"),
    "strikethrough": ("<s>", "</s>"),
    "spoiler": ('<span class="tg-spoiler">', "</span>"),
    "code": ("<code>", "</code>"),
    "pre": ("<pre>", "</pre>"),
    "blockquote": ("<blockquote>", "</blockquote>"),
    "expandable_blockquote": ('<blockquote class="expandable">', "</blockquote>"),
}
_WEB_SCHEMES = ("http://", "https://", "tg://")


def _web_open(entity: dict) -> tuple[str, str]:
    if entity["type"] == "text_link":
        url = entity["url"]
        if not url.lower().startswith(_WEB_SCHEMES):  # javascript: and the like: text only
            return "", ""
        href = html.escape(url, quote=True)
        return f'<a href="{href}" rel="noopener noreferrer" target="_blank">', "</a>"
    return _WEB_TAGS.get(entity["type"], ("", ""))


def web_html(markup: str) -> str:
    """Telegram HTML as a browser should show it (the console's previews): rebuilt from the
    entities Telegram would make, so only what Telegram renders is rendered, and nothing
    else in `markup` (scripts, styles, attributes) reaches the page. Line breaks are kept
    as text: show it in an element with `white-space: pre-wrap`."""
    try:
        text, entities = parse_html(markup)
    except EntityParseError:  # never stored (posts are checked), but never unsafe either
        return html.escape(markup, quote=False)
    starts: dict[int, list[dict]] = {}
    for entity in entities:
        starts.setdefault(entity["offset"], []).append(entity)
    out: list[str] = []
    open_: list[tuple[int, str]] = []  # (end offset, closing tag), innermost last
    position = 0
    for char in [*text, ""]:
        while open_ and open_[-1][0] <= position:
            out.append(open_.pop()[1])
        for entity in sorted(starts.get(position, ()), key=lambda e: -e["length"]):
            opening, closing = _web_open(entity)
            out.append(opening)
            open_.append((entity["offset"] + entity["length"], closing))
        out.append(html.escape(char, quote=False))
        position += utf16_len(char)
    return "".join(out)
