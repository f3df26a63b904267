"""The text a reader of Telegram HTML sees: escaped in, plain text and its length out."""

from __future__ import annotations

import html
import re

from bot.markup.entities import EntityParseError, parse_html, utf16_len


def escape(text: str) -> str:
    """Plain text made safe to put inside Telegram HTML."""
    return html.escape(text, quote=False)


def visible_len(markup: str) -> int:
    """The length Telegram counts (UTF-16 units of the visible text); raw length if invalid."""
    try:
        return utf16_len(parse_html(markup)[0])
    except EntityParseError:
        return utf16_len(markup)


_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def plain(markup: str) -> str:
    """The text a reader sees, with link addresses kept: for terminals and plain messengers."""
    try:
        text, entities = parse_html(markup)
    except EntityParseError:  # never fail a reply over markup: strip what looks like tags
        return html.unescape(_TAG.sub("", markup))
    units = text.encode("utf-16-le")
    cuts = []  # (UTF-16 end offset, address) of links whose label is not the address
    for entity in entities:
        if entity["type"] != "text_link":
            continue
        start, end = entity["offset"], entity["offset"] + entity["length"]
        label = units[2 * start : 2 * end].decode("utf-16-le").strip()
        if label != entity["url"] and label != entity["url"].removeprefix("http://"):
            cuts.append((end, entity["url"]))
    for end, url in sorted(cuts, reverse=True):
        units = units[: 2 * end] + f" ({url})".encode("utf-16-le") + units[2 * end :]
    return units.decode("utf-16-le")
