"""Importing a month's calendar from CSV / YAML, and the operator CLI around it."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from broadcast_helpers import ADMIN, add_groups
from sqlalchemy import func, select

from bot.broadcast import BroadcastError
from bot.broadcast.importer import import_calendar
from bot.broadcast.models import Post, Schedule
from bot.broadcast.recurrence import Recurrence
from bot.store import open_store

NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)  # 10:00 in Hà Nội
TZ = "Asia/Ho_Chi_Minh"
ROOT = Path(__file__).resolve().parents[2]


def count(store, model) -> int:
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_csv_from_a_spreadsheet_is_imported_whole(store, tmp_path):
    add_groups(store, 2, tags="phuong1")
    path = tmp_path / "thang12.csv"
    # the second row uses the free-form schedule column instead of date and time
    path.write_text(
        "\ufeffNgày;Giờ;Lịch;Nội dung;Nhóm;Tùy chọn;Nút\n"
        "01/12/2026;20:00;;<b>Chào tháng 12</b>;tất cả;ghim;[Xem](https://example.vn/12)\n"
        ';;thứ 2 hằng tuần 8:00;"Bài lặp <i>hằng tuần</i>";#phuong1;im lặng;\n',
        encoding="utf-8",
    )
    made = import_calendar(store, path, ADMIN, NOW, TZ, approval_required=True)
    assert len(made) == 2
    with store.session() as session:
        first, second = session.scalars(select(Schedule).order_by(Schedule.id)).all()
        assert Recurrence.from_text(first.recurrence).kind == "once" and first.pin
        assert Recurrence.from_text(second.recurrence).kind == "weekly" and second.silent
        assert second.target_kind == "tags" and second.target_value == "phuong1"
        posts = session.scalars(select(Post)).all()
        assert {p.status for p in posts} == {"awaiting"}
        assert "example.vn/12" in posts[0].buttons


def test_every_bad_row_is_reported_and_nothing_is_stored(store, tmp_path):
    path = tmp_path / "thang12.csv"
    path.write_text(
        "ngay,gio,noi_dung,nhom\n"
        "01/12/2026,20:00,Bài tốt,tất cả\n"
        "31/11/2026,20:00,Ngày không có,tất cả\n"
        "02/12/2026,20:00,<b>chưa đóng,tất cả\n"
        "01/01/2020,08:00,Đã qua,tất cả\n"
        "03/12/2026,08:00,Nhóm lạ,-100999\n"
        "04/12/2026,08:00,,tất cả\n",
        encoding="utf-8",
    )
    with pytest.raises(BroadcastError) as caught:
        import_calendar(store, path, ADMIN, NOW, TZ, approval_required=True)
    message = str(caught.value)
    assert "5/6 dòng có lỗi" in message
    for line, words in [(3, "31/11"), (4, "<b>"), (5, "đã qua"), (6, "-100999"), (7, "trống")]:
        assert f"Dòng {line}:" in message and words in message.split(f"Dòng {line}:")[1]
    assert "Dòng 2:" not in message
    assert count(store, Post) == 0 and count(store, Schedule) == 0


def test_yaml_calendar_with_a_bad_item(store, tmp_path):
    path = tmp_path / "thang12.yaml"
    path.write_text(
        "- lich: 7:30 hằng ngày từ 01/12 đến 31/12\n"
        "  noi_dung: Chào buổi sáng\n"
        "- lich: 25 giờ mai\n"
        "  noi_dung: Giờ sai\n",
        encoding="utf-8",
    )
    with pytest.raises(BroadcastError, match="Mục 2: lịch «25 giờ mai»"):
        import_calendar(store, path, ADMIN, NOW, TZ, approval_required=False)
    assert count(store, Post) == 0
    path.write_text(path.read_text().replace("25 giờ mai", "20h mai"), encoding="utf-8")
    assert len(import_calendar(store, path, ADMIN, NOW, TZ, approval_required=False)) == 2


@pytest.mark.slow
def test_cli_import_list_and_cancel(tmp_path):
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    open_store(url).close()
    path = tmp_path / "lich.yaml"
    path.write_text("- lich: 8:00 hằng ngày\n  noi_dung: <b>Tin sáng</b>\n", encoding="utf-8")
    env = {"BOT_DATABASE_URL": url, "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}

    def cli(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "bot", "broadcast", *args],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert "lịch 1" in cli("import", str(path))
    assert "Lịch 1:" in cli("list") and "hằng ngày lúc 08:00" in cli("show", "1")
    assert "Lịch 1 đã hủy" in cli("cancel", "1")  # the same text as /huy in a chat
    assert "Không có lịch" in cli("list")
