"""`python -m bot broadcast list | show | report | cancel | approve | reject | import`.

The same operations as the moderators' chat commands (bot/broadcast/operator.py), printed
as plain text. Errors an operator can fix are BroadcastError: the entry point prints them
in Vietnamese and exits with 1.
"""

from __future__ import annotations

import argparse
import getpass
from pathlib import Path

from bot import markup
from bot.broadcast import models as _tables  # noqa: F401  (the schema of a fresh database)
from bot.broadcast import operator
from bot.broadcast.approval import Actor
from bot.clock import utcnow
from bot.commands import Role
from bot.settings import load_settings
from bot.store import Store, open_store


def operator_actor(name: str) -> Actor:
    """The person at the command line, recorded as who approved, cancelled or imported."""
    return Actor("cli", name, Role.ADMIN, f"{name} (dòng lệnh)")


def run(args: argparse.Namespace) -> int:
    settings = load_settings()
    store = open_store(settings.resolved_database_url, settings.resolved_db_auto_migrate)
    try:
        for line in _act(args, store, settings.timezone, settings.broadcast_approval_required):
            print(line)
        return 0
    finally:
        store.close()


def _act(args: argparse.Namespace, store: Store, tz: str, approval_required: bool) -> list[str]:
    now, who = utcnow(), operator_actor(args.by or getpass.getuser())
    if args.action == "import":
        from bot.broadcast.importer import import_calendar

        made = import_calendar(store, Path(args.file), who, now, tz, approval_required)
        lines = [f"Đã nhập {len(made)} bài và lịch:"]
        lines += [f"  bài {post_id} → lịch {schedule_id}" for post_id, schedule_id in made]
        for label in operator.unknown_labels(store, [s for _, s in made]):
            lines.append(f"⚠️ Chưa nhóm nào có nhãn #{label}: lịch đó hiện không gửi tới ai.")
        if approval_required:
            lines.append("Các bài đang chờ duyệt: python -m bot broadcast approve <số bài>.")
        return lines
    if args.action == "list":
        text = operator.upcoming_text(store, tz, limit=100)
    elif args.action == "show":
        text = operator.schedule_text(store, args.id, tz)
    elif args.action == "report":
        text = operator.report_text(store, args.id, tz, limit=10_000)
    elif args.action in ("approve", "reject"):
        yes = args.action == "approve"
        _, text = operator.decide(store, args.id, None, who, yes, " ".join(args.note))
        text += f" Người quyết định: {who.name}."
    else:
        text = operator.cancel(store, args.id, now)
    return [markup.plain(text)]


def add_parser(subparsers) -> None:
    """Add `broadcast …` to the bot's command line."""
    parser = subparsers.add_parser(
        "broadcast", help="lịch đăng bài (phủ xanh): xem, hủy, duyệt, nhập"
    )
    parser.add_argument(
        "--by", help="tên người vận hành được ghi lại (mặc định: tên đăng nhập của máy)"
    )
    actions = parser.add_subparsers(dest="action", required=True)
    actions.add_parser("list", help="các lịch sắp tới")
    show = actions.add_parser("show", help="chi tiết một lịch và các lần gửi của nó")
    show.add_argument("id", type=int, help="số lịch")
    report = actions.add_parser("report", help="báo cáo gửi của một lần (mặc định: lần gần nhất)")
    report.add_argument("id", type=int, nargs="?", help="số lần gửi (xem bằng: show <số lịch>)")
    cancel = actions.add_parser("cancel", help="hủy một lịch")
    cancel.add_argument("id", type=int, help="số lịch")
    for name, what in (("approve", "duyệt"), ("reject", "từ chối")):
        decide = actions.add_parser(name, help=f"{what} một bài đang chờ duyệt")
        decide.add_argument("id", type=int, help="số bài")
        decide.add_argument("note", nargs="*", help="ghi chú (lý do)")
    load = actions.add_parser("import", help="nhập lịch tháng từ tệp CSV hoặc YAML")
    load.add_argument("file")
    parser.set_defaults(func=run)
