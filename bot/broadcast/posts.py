"""Post content: Telegram HTML checked before it is accepted, URL buttons, the rendered message.

The preview a moderator sees and what a group gets are built by the same `PostContent.message`,
so they cannot drift apart.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass

from bot import markup
from bot.broadcast import BroadcastError
from bot.chat import Attachment, Button, OutgoingMessage

MAX_TEXT, MAX_CAPTION, MAX_BUTTON_TEXT = 4096, 1024, 64
_BUTTON_LINE = re.compile(r"^\s*(?:\[[^\[\]]+\]\(\S+\)\s*)+$")
_BUTTON = re.compile(r"\[([^\[\]]+)\]\((\S+)\)")
_URL = re.compile(r"^(?:https?://[^\s/$.?#][^\s]*|tg://\S+)$", re.IGNORECASE)


_HREF = re.compile(r"""<a\s[^>]*href\s*=\s*["']([^"']*)["']""", re.IGNORECASE)


def html_problems(text: str) -> tuple[list[str], str]:
    """What Telegram would refuse in `text` (Vietnamese), and its visible plain text."""
    problems = markup.problems(text)
    if problems:
        return problems, markup.plain(text)
    # Telegram would take "x.vn" or "javascript:…" as a link; a post links only to the web
    for href in _HREF.findall(text):
        if not _URL.match(html.unescape(href)):
            problems.append(f"liên kết «{href}» không hợp lệ (cần http:// hoặc https://)")
    return problems, markup.parse_html(text)[0]


@dataclass(frozen=True)
class PostContent:
    """The part of a post the groups see."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    attachment: Attachment | None = None

    def message(self, silent: bool = False) -> OutgoingMessage:
        """The message a group gets (and the preview a moderator sees)."""
        return OutgoingMessage(
            text=self.text, buttons=self.buttons, attachment=self.attachment, silent=silent
        )

    def problems(self) -> list[str]:
        """Everything Telegram would refuse, in Vietnamese; empty when the post is sendable."""
        problems, plain = html_problems(self.text)
        if not plain.strip() and self.attachment is None:
            problems.append("bài viết trống")
        limit, what = (MAX_CAPTION, "chú thích ảnh/tệp") if self.attachment else (MAX_TEXT, "bài")
        if (length := markup.utf16_len(plain)) > limit:
            problems.append(f"{what} dài {length} ký tự, tối đa {limit}")
        for row in self.buttons:
            for button in row:
                if not button.text.strip() or len(button.text) > MAX_BUTTON_TEXT:
                    problems.append(f"tên nút «{button.text}» phải có 1–{MAX_BUTTON_TEXT} ký tự")
                if not _URL.match(button.url or ""):
                    problems.append(f"nút «{button.text}»: liên kết «{button.url}» không hợp lệ")
        return problems

    def check(self) -> PostContent:
        """Self, or BroadcastError listing every problem."""
        if problems := self.problems():
            raise BroadcastError("Bài viết chưa hợp lệ:\n• " + "\n• ".join(problems))
        return self

    def to_json(self) -> str:
        return json.dumps(
            {
                "text": self.text,
                "buttons": buttons_to_data(self.buttons),
                "attachment": self.attachment and vars(self.attachment),
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, raw: str) -> PostContent:
        data = json.loads(raw)
        attachment = data.get("attachment")
        return cls(
            text=data["text"],
            buttons=buttons_from_data(data.get("buttons") or []),
            attachment=Attachment(**attachment) if attachment else None,
        )


def buttons_to_data(buttons: tuple[tuple[Button, ...], ...]) -> list[list[dict]]:
    return [[{"text": b.text, "url": b.url} for b in row] for row in buttons]


def buttons_from_data(rows: list[list[dict]]) -> tuple[tuple[Button, ...], ...]:
    return tuple(tuple(Button(text=b["text"], url=b["url"]) for b in row) for row in rows)


def parse_buttons(text: str) -> tuple[tuple[Button, ...], ...]:
    """`[Tên nút](https://…)` links, one row per line."""
    rows = []
    for line in text.splitlines():
        if line.strip():
            rows.append(tuple(Button(text=t.strip(), url=u) for t, u in _BUTTON.findall(line)))
    return tuple(row for row in rows if row)


def split_composed(text: str) -> tuple[str, tuple[tuple[Button, ...], ...]]:
    """A composed message: the post text, then trailing lines of `[Tên nút](link)` buttons."""
    lines = text.strip().splitlines()
    cut = len(lines)
    while cut > 0 and (_BUTTON_LINE.match(lines[cut - 1]) or not lines[cut - 1].strip()):
        cut -= 1
    return "\n".join(lines[:cut]).strip(), parse_buttons("\n".join(lines[cut:]))


def plain_summary(text: str, limit: int = 60) -> str:
    """A one-line plain-text beginning of a post, for lists."""
    _, plain = html_problems(text)
    line = " ".join(plain.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
