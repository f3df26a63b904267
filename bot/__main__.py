"""Command line: `python -m bot reindex | ask | run | broadcast …`."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections.abc import Sequence

from bot.errors import BotError
from bot.settings import load_settings

_IMPORTED = time.monotonic()


# what a stage says when it starts, before its first step is done (a first build embeds for
# tens of seconds on two cores: silence there reads as a hang)
_STAGE_START = {
    "đọc tài liệu": "Đang đọc {total} tệp tài liệu…",
    "mã hóa": "Đang mã hóa {total} đoạn (lần đầu có thể mất vài chục giây)…",
    "ghi chỉ mục": "Đang ghi chỉ mục…",
}
_STAGE_UNIT = {"đọc tài liệu": "tệp", "ghi chỉ mục": "bước"}


def _progress_bar(out=sys.stderr):
    """Announce each build stage as it starts, then a tqdm bar for it on stderr."""
    from tqdm import tqdm

    bars: dict[str, tqdm] = {}

    def report(stage: str, done: int, total: int) -> None:
        bar = bars.get(stage)
        if bar is None:
            start = _STAGE_START.get(stage, "Đang " + stage + "…")
            print(start.format(total=f"{total:,}".replace(",", ".")), file=out, flush=True)
            bar = bars[stage] = tqdm(
                total=total,
                desc=stage,
                unit=_STAGE_UNIT.get(stage, "đoạn"),
                file=out,
                leave=True,
                dynamic_ncols=True,
            )
        bar.total = total
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    return report


def _print_summary(summary, out=sys.stdout, seconds: float | None = None) -> None:
    """The build's outcome; `seconds` is the command's own elapsed time (model loading too)."""
    elapsed = summary.seconds if seconds is None else seconds
    if not summary.changed:
        print(
            f"Chỉ mục đã cập nhật, không có gì thay đổi: {summary.documents} tài liệu, "
            f"{summary.chunks} đoạn ({_seconds(elapsed)}).",
            file=out,
        )
    else:
        print(
            f"Đã lập chỉ mục {summary.documents} tài liệu, {summary.chunks} đoạn "
            f"({summary.embedded} đoạn mã hóa mới, {summary.chunks - summary.embedded} dùng lại)"
            f" trong {_seconds(elapsed)}.",
            file=out,
        )
    for skipped in summary.skipped:
        print(f"  Bỏ qua {skipped.path}: {skipped.reason}", file=out)


def _since_process_start() -> float:
    """Seconds since this process started: what the operator waited, imports and model too."""
    try:
        with open("/proc/self/stat", encoding="ascii") as fh:
            # field 22 (starttime, clock ticks since boot); the command name may hold spaces
            started = int(fh.read().rsplit(")", 1)[1].split()[19]) / os.sysconf("SC_CLK_TCK")
        with open("/proc/uptime", encoding="ascii") as fh:
            return max(0.0, float(fh.read().split()[0]) - started)
    except (OSError, ValueError, IndexError):  # not Linux: from this module's import
        return time.monotonic() - _IMPORTED


def _seconds(value: float) -> str:
    return f"{value:.1f} giây"


def cmd_reindex(args: argparse.Namespace) -> int:
    from bot.app import make_knowledge_base

    kb = make_knowledge_base(load_settings())
    summary = kb.rebuild(_progress_bar(), force=args.force)
    _print_summary(summary, seconds=_since_process_start())
    return 0


def _open_kb(quiet: bool):
    from bot.app import make_knowledge_base

    kb = make_knowledge_base(load_settings())
    summary = kb.open(_progress_bar())
    if summary is not None:
        _print_summary(summary, out=sys.stderr)
    return kb


def cmd_ask(args: argparse.Namespace) -> int:
    from bot.answers import answer, render_text, to_json
    from bot.errors import InvalidQuestion

    settings = load_settings()
    kb = _open_kb(quiet=args.json)
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
    from bot.platforms.console import run_console

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
    from bot.broadcast.cli import add_parser as add_broadcast

    add_broadcast(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from bot.app import configure_logging

    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging(logging.WARNING if args.command == "ask" else logging.INFO)
    if args.command == "ask" and not args.file and not args.question:
        parser.error("cần câu hỏi, hoặc --file")
    try:
        return args.func(args)
    except BotError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
