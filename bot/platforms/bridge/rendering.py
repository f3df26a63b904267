"""Telegram-style HTML to plain text for messengers that show no formatting."""

from __future__ import annotations

import html
from html.parser import HTMLParser


class _Plain(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self._links: list[tuple[str, int]] = []  # href, where its text starts

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._links.append((dict(attrs).get("href") or "", len(self.out)))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._links:
            href, start = self._links.pop()
            label = "".join(self.out[start:]).strip()
            # a link whose text is not its address would lose the address in plain text
            if href and label != href:
                self.out.append(f" ({href})")

    def handle_data(self, data: str) -> None:
        self.out.append(data)


def plain_text(markup: str) -> str:
    """The text a member should read, with link addresses kept and entities decoded."""
    parser = _Plain()
    try:
        parser.feed(markup)
        parser.close()
    except Exception:  # never fail a delivery over markup: fall back to the escaped text
        return html.unescape(markup)
    return "".join(parser.out)
