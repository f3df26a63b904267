"""`python -m bot broadcast list | show | report | cancel | import FILE` for operators."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

from bot import markup
from bot.broadcast import operator
from bot.broadcast.approval import Actor
from bot.commands import Role
from bot.settings import load_settings
from bot.store import open_store

OPERATOR = Actor("cli", "cli", Role.ADMIN, "người vận hành (dòng lệnh)")


def run(args: argparse.Namespace) -> int:
    settings = load_settings()
    store = open_store(settings.resolved_database_url)
    tz, now = settings.timezone, datetime.now(UTC)
    try:
        if args.action == "import":
            from bot.broadcast.importer import import_calendar

            made = import_calendar(
                store, Path(args.file), OPERATOR, now, tz, settings.broadcast_approval_required
            )
            print(f"Đã nhập {len(made)} bài và lịch:")
            for post_id, schedule_id in made:
                print(f"  bài {post_id} → lịch {schedule_id}")
            if settings.broadcast_approval_required:
                print("Các bài đang chờ duyệt (/duyet <số bài> trong Telegram).")
            return 0
        if args.action == "list":
            text = operator.upcoming_text(store, tz, limit=100)
        elif args.action == "show":
            text = operator.schedule_text(store, args.id, tz)
        elif args.action == "report":
            text = operator.report_text(store, args.id, tz, limit=10_000)
        else:
            text = operator.cancel(store, args.id, now)
        print(markup.plain(text))
        return 0
    finally:
        store.close()


def add_parser(subparsers) -> None:
    """Add `broadcast …` to the bot's command line."""
    parser = subparsers.add_parser("broadcast", help="lịch đăng bài (phủ xanh): xem, hủy, nhập")
    actions = parser.add_subparsers(dest="action", required=True)
    actions.add_parser("list", help="các lịch sắp tới")
    show = actions.add_parser("show", help="chi tiết một lịch")
    show.add_argument("id", type=int)
    report = actions.add_parser("report", help="báo cáo gửi của một lần (mặc định: lần gần nhất)")
    report.add_argument("id", type=int, nargs="?")
    cancel = actions.add_parser("cancel", help="hủy một lịch")
    cancel.add_argument("id", type=int)
    load = actions.add_parser("import", help="nhập lịch tháng từ tệp CSV hoặc YAML")
    load.add_argument("file")
    parser.set_defaults(func=run)
