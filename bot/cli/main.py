"""The entry point: `python -m bot reindex | ask | run | broadcast …`."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence

from bot import markup
from bot.cli.reporting import (
    configure_logging,
    open_with_progress,
    print_summary,
    progress_bar,
    since_process_start,
)
from bot.errors import BotError
from bot.settings import load_settings


def cmd_reindex(args: argparse.Namespace) -> int:
    from bot.app import make_knowledge_base

    kb = make_knowledge_base(load_settings())
    summary = kb.rebuild(progress_bar(), force=args.force)
    print_summary(summary, seconds=since_process_start())
    return 0


def _open_kb(settings):
    from bot.app import make_knowledge_base

    return open_with_progress(make_knowledge_base(settings))


def cmd_ask(args: argparse.Namespace) -> int:
    from bot.answers import answer, render_text, to_json
    from bot.errors import InvalidQuestion

    settings = load_settings()
    kb = _open_kb(settings)
    if args.file:
        if args.file == "-":
            questions = [line.rstrip("\n") for line in sys.stdin]
        else:
            with open(args.file, encoding="utf-8") as fh:
                questions = [line.rstrip("\n") for line in fh]
    else:
        questions = [" ".join(args.question)]
    status = 0
    for raw in questions:
        try:
            ans = answer(kb, raw, settings.max_question_chars)
        except InvalidQuestion as exc:
            if args.json:
                print(
                    json.dumps(
                        {"question": raw, "answered": False, "results": [], "error": str(exc)},
                        ensure_ascii=False,
                    )
                )
            else:
                print(str(exc), file=sys.stderr)
                status = 2
            continue
        if args.json:
            print(json.dumps(to_json(ans), ensure_ascii=False), flush=True)
        else:
            print(render_text(ans))
    return status


def cmd_run(args: argparse.Namespace) -> int:
    settings = load_settings()
    from bot.runtime import run, wants_server

    if wants_server(settings):  # Telegram, the bridge and/or the HTTP server, one process
        return run(settings)
    from bot.cli.console import run_console

    return run_console(settings)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bot", description="Trợ lý hỏi đáp và phủ xanh thông tin")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("reindex", help="lập hoặc cập nhật chỉ mục từ thư mục knowledge/")
    p.add_argument("--force", action="store_true", help="mã hóa lại dù không có thay đổi")
    p.set_defaults(func=cmd_reindex)
    p = sub.add_parser("ask", help="hỏi một câu (hoặc --json --file - để hỏi hàng loạt)")
    p.add_argument("question", nargs="*", help="câu hỏi")
    p.add_argument("--json", action="store_true", help="in mỗi câu trả lời thành một dòng JSON")
    p.add_argument("--file", help="đọc câu hỏi, mỗi dòng một câu ('-' là đầu vào chuẩn)")
    p.set_defaults(func=cmd_ask)
    p = sub.add_parser(
        "run",
        help="chạy bot (Telegram, cầu nối, máy chủ HTTP theo cấu hình; nếu không: cửa sổ lệnh)",
    )
    p.set_defaults(func=cmd_run)
    from bot.cli.broadcast import add_parser as add_broadcast

    add_broadcast(sub)
    from bot.cli.db import add_parser as add_db

    add_db(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging(logging.WARNING if args.command == "ask" else logging.INFO)
    if args.command == "ask" and not args.file and not args.question:
        parser.error("cần câu hỏi, hoặc --file")
    try:
        status = args.func(args)
        sys.stdout.flush()  # a closed pipe shows here, not at exit as a traceback
        return status
    except BotError as exc:
        print(f"Lỗi: {markup.plain(str(exc))}", file=sys.stderr)  # chat errors are HTML
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `… | head` stopped reading: not an error of ours
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so the flush at exit has nowhere to fail
        return 141  # as a program killed by SIGPIPE


if __name__ == "__main__":
    sys.exit(main())
