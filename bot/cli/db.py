"""`python -m bot db upgrade | current | revision "…"`: the database schema (bot/migrations).

`upgrade` is what an operator runs once before starting replicas of a new version on a
shared database (BOT_DB_AUTO_MIGRATE is off there); on SQLite the bot does it at start.
`revision` is for developers: a new revision file from the models' difference to head.
"""

from __future__ import annotations

import argparse

from sqlalchemy.engine import make_url

from bot import migrations
from bot.settings import load_settings
from bot.store import Base, make_engine


def add_parser(sub) -> None:
    p = sub.add_parser("db", help="lược đồ cơ sở dữ liệu: nâng cấp, xem phiên bản")
    actions = p.add_subparsers(dest="action", required=True)
    actions.add_parser("upgrade", help="nâng lược đồ lên phiên bản mới nhất, giữ nguyên dữ liệu")
    actions.add_parser("current", help="phiên bản lược đồ của cơ sở dữ liệu và của mã")
    r = actions.add_parser("revision", help="(người phát triển) tạo bản sửa lược đồ từ mô hình")
    r.add_argument("message", help="mô tả thay đổi")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    url = load_settings().resolved_database_url
    where = make_url(url).render_as_string(hide_password=True)
    engine = make_engine(url)
    try:
        if args.action == "upgrade":
            before, after = migrations.upgrade(engine)
            if before == after:
                print(f"{where}: lược đồ đã ở phiên bản mới nhất ({after}).")
            else:
                print(f"{where}: lược đồ {before or '(chưa có)'} → {after}, dữ liệu giữ nguyên.")
        elif args.action == "current":
            found = migrations.current(engine) or "(chưa có)"
            print(f"{where}: phiên bản {found}; mã cần {migrations.head()}.")
        else:
            import bot.app  # noqa: F401  (every module that defines tables, for the diff)

            migrations.revision(engine, Base.metadata, args.message)
    finally:
        engine.dispose()
    return 0
