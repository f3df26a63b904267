"""Post content: Telegram HTML checked before it is accepted, URL buttons, the rendered message.

The preview a moderator sees and what a group gets are built by the same `PostContent.message`,
so they cannot drift apart.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from bot.broadcast import BroadcastError
from bot.platforms.base import Attachment, Button, OutgoingMessage

MAX_TEXT, MAX_CAPTION, MAX_BUTTON_TEXT = 4096, 1024, 64
# Telegram's HTML: tag -> attributes it accepts.
ALLOWED_TAGS: dict[str, frozenset[str]] = {
    **dict.fromkeys("b strong i em u ins s strike del tg-spoiler blockquote".split(), frozenset()),
    "a": frozenset({"href"}),
    "code": frozenset({"class"}),
    "pre": frozenset(),
    "span": frozenset({"class"}),
}
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#\d{1,7}|#x[0-9a-fA-F]{1,6});")
_BUTTON_LINE = re.compile(r"^\s*(?:\[[^\[\]]+\]\(\S+\)\s*)+$")
_BUTTON = re.compile(r"\[([^\[\]]+)\]\((\S+)\)")
_URL = re.compile(r"^(?:https?://[^\s/$.?#][^\s]*|tg://\S+)$", re.IGNORECASE)


class _Checker(HTMLParser):
    """Collects what Telegram would refuse: unknown tags, bad attributes, unbalanced tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.problems: list[str] = []
        self.stack: list[str] = []
        self.plain: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"thẻ <{tag}> không được dùng")
            return
        for name, value in attrs:
            if name not in ALLOWED_TAGS[tag]:
                self.problems.append(f"thẻ <{tag}> không nhận thuộc tính «{name}»")
            elif tag == "a" and not _URL.match(value or ""):
                self.problems.append(f"liên kết «{value}» không hợp lệ (cần http:// hoặc https://)")
            elif tag == "span" and value != "tg-spoiler":
                self.problems.append('thẻ <span> chỉ dùng với class="tg-spoiler"')
        if tag == "a" and "href" not in dict(attrs):
            self.problems.append("thẻ <a> thiếu href")
        self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.problems.append(f"thẻ <{tag}/> không được dùng")

    def handle_endtag(self, tag: str) -> None:
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"thẻ </{tag}> không được dùng")
        elif not self.stack or self.stack[-1] != tag:
            expected = f"</{self.stack[-1]}>" if self.stack else "không có thẻ nào đang mở"
            self.problems.append(f"thẻ </{tag}> đóng sai chỗ (cần {expected})")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if "<" in data or ">" in data:
            self.problems.append("ký tự < hoặc > phải viết là &lt; &gt;")
        self.plain.append(data)

    def handle_entityref(self, name: str) -> None:
        self.plain.append(html.unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self.plain.append(html.unescape(f"&#{name};"))

    def handle_comment(self, data: str) -> None:
        self.problems.append("không dùng chú thích <!-- -->")

    def handle_decl(self, decl: str) -> None:
        self.problems.append(f"không dùng <!{decl}>")

    unknown_decl = handle_decl


def html_problems(text: str) -> tuple[list[str], str]:
    """What is wrong with `text` as Telegram HTML (Vietnamese), and its visible plain text."""
    checker = _Checker()
    for match in re.finditer(r"&", text):
        if not _ENTITY.match(text, match.start()):
            checker.problems.append("ký tự & phải viết là &amp; (hoặc một thực thể như &lt;)")
            break
    checker.feed(text)
    checker.close()
    if checker.rawdata:  # an unterminated "<b" is left unparsed
        checker.problems.append(f"thẻ chưa đóng dấu >: «{checker.rawdata[:20]}»")
    for tag in reversed(checker.stack):
        checker.problems.append(f"thẻ <{tag}> chưa được đóng")
    return list(dict.fromkeys(checker.problems)), "".join(checker.plain)


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


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
        if (length := utf16_len(plain)) > limit:
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
