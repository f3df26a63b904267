"""The console chat: ask the knowledge base from a terminal, no Telegram token needed."""

from __future__ import annotations

import re
import sys
from typing import TextIO

from bot.answers import answer, render_text
from bot.errors import BotError, InvalidQuestion
from bot.settings import Settings

GREETING = (
    "Trợ lý hỏi đáp văn bản đã phê duyệt — chế độ cửa sổ lệnh (chưa cấu hình BOT_TELEGRAM_TOKEN).\n"
    "Gõ câu hỏi rồi nhấn Enter. Lệnh: /khac (kết quả khác), /giup, /thoat."
)
HELP = (
    "Gõ câu hỏi bằng tiếng Việt (có dấu hoặc không dấu), ví dụ:\n"
    "  Mục đích của kế hoạch tuyên truyền là gì?\n"
    "/khac — xem kết quả tiếp theo của câu hỏi vừa rồi\n"
    "/thoat — thoát"
)
_TAGS = re.compile(r"</?[a-z][^>]*>")


def plain(html: str) -> str:
    """Telegram HTML to terminal text."""
    text = _TAGS.sub("", html)
    return (
        text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
    )


def chat(kb, settings: Settings, stdin: TextIO, stdout: TextIO) -> int:
    """Read questions line by line until end of input or /thoat."""
    from bot.answers import source_line

    print(GREETING, file=stdout, flush=True)
    last = None
    shown = 0
    for raw in stdin:
        line = raw.strip()
        if line in ("/thoat", "/quit", "/exit"):
            break
        if line in ("/giup", "/help", "/start"):
            print(HELP, file=stdout, flush=True)
            continue
        if line in ("/khac", "/more"):
            if last is None or shown + 1 >= len(last.hits):
                print("Không còn kết quả khác.", file=stdout, flush=True)
                continue
            shown += 1
            hit = last.hits[shown]
            print(
                f"[{shown + 1}/{len(last.hits)}] «{hit.snippet.text}»\n\nNguồn: {source_line(hit)}",
                file=stdout,
                flush=True,
            )
            continue
        if line.startswith("/"):
            print("Lệnh không hợp lệ. Gõ /giup để xem hướng dẫn.", file=stdout, flush=True)
            continue
        try:
            last, shown = answer(kb, line, settings.max_question_chars), 0
            print(render_text(last), file=stdout, flush=True)
        except InvalidQuestion as exc:
            print(str(exc), file=stdout, flush=True)
        except BotError as exc:
            print(f"Lỗi: {exc}", file=stdout, flush=True)
        print(file=stdout, flush=True)
    return 0


def run_console(settings: Settings) -> int:
    from bot.app import make_knowledge_base
    from bot.cli.main import _print_summary, _progress_bar

    kb = make_knowledge_base(settings)
    summary = kb.open(_progress_bar())
    if summary is not None:
        _print_summary(summary, out=sys.stderr)
    return chat(kb, settings, sys.stdin, sys.stdout)
