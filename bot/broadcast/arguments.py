"""What moderators type after a broadcast command: numbers, «ghim, im lặng», usage lines.

Pure parsing; a mistake becomes a BroadcastError that says, in Vietnamese, what to type.
"""

from __future__ import annotations

from bot.broadcast import BroadcastError
from bot.broadcast.approval import Actor
from bot.commands import CommandContext
from bot.text import fold

USAGE = {
    "soan": "Soạn bài: /soan &lt;nội dung HTML&gt;, dòng cuối có thể là nút "
    "[Tên nút](https://…). Gửi kèm tệp thì ghi /soan ở chú thích.",
    "henlich": "Hẹn lịch: /henlich &lt;số bài&gt; &lt;thời gian&gt; | &lt;nhóm&gt; | "
    "&lt;tùy chọn&gt;\nvd: /henlich 12 20:00 25/12 | #phuong1 #phuong2 | ghim, im lặng\n"
    "Nhóm: «tất cả» (mặc định), nhãn #…, hoặc mã nhóm. Tùy chọn: «ghim», «im lặng».",
    "guingay": "Gửi ngay: /guingay &lt;số bài&gt; | &lt;nhóm&gt; | &lt;tùy chọn&gt;",
}
_SILENT = ("im lang", "khong chuong", "silent", "yen lang")
_PIN = ("ghim", "pin")


def actor(ctx: CommandContext) -> Actor:
    """Who sent the command, as the approval and schedule records name them."""
    msg = ctx.message
    return Actor(msg.platform, msg.user_id, ctx.role, msg.user_name, msg.chat_id)


def number(text: str, what: str) -> int:
    """The number the arguments start with (a post's, a schedule's …), named `what`."""
    word = text.split()[0] if text.split() else ""
    if not word.isdigit():
        raise BroadcastError(f"Cần số {what}, vd «12».")
    return int(word)


def delivery_options(text: str) -> tuple[bool, bool]:
    """(silent, pin) from «ghim», «im lặng» — with or without diacritics, in any order."""
    words = " ".join(fold(text.lower()).replace(",", " ").split())
    silent = any(w in words for w in _SILENT)
    pin = any(w in words for w in _PIN)
    unknown = words
    for w in (*_SILENT, *_PIN, "va"):
        unknown = unknown.replace(w, " ")
    if unknown.strip():
        raise BroadcastError(f"Không hiểu tùy chọn «{text.strip()}»: dùng «ghim», «im lặng».")
    return silent, pin
