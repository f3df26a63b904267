"""The command line as a user (and ../shared/eval/score.py) runs it.

One real subprocess per command (ask, reindex, run here; broadcast in
tests/broadcast/test_broadcast_import.py); the other cases call `main(argv)` in-process.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def env(real_kb) -> dict[str, str]:
    """Environment pointing the CLI at the session's already-built real index."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    base.update(
        BOT_KNOWLEDGE_DIR=str(real_kb.knowledge_dir),
        BOT_INDEX_DIR=str(real_kb.index_dir),
        BOT_DATA_DIR=str(real_kb.index_dir.parent / "data"),
        PYTHONIOENCODING="utf-8",
    )
    return base


@pytest.fixture
def run_main(env, monkeypatch, capsys):
    """`main(argv)` in this process, with the module's environment and `stdin`."""
    from bot.cli.main import main

    for name in list(os.environ):
        if name.startswith("BOT_"):
            monkeypatch.delenv(name)
    for name, value in env.items():
        if name.startswith("BOT_"):
            monkeypatch.setenv(name, value)
    monkeypatch.chdir(Path(env["BOT_INDEX_DIR"]).parent)

    def run(*argv: str, stdin: str = "", extra: dict[str, str] | None = None):
        for name, value in (extra or {}).items():
            monkeypatch.setenv(name, value)
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        status = main(list(argv))
        out, err = capsys.readouterr()
        return status, out, err

    return run


def bot(env, *args: str, stdin: str | None = None, timeout: float = 120):
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        cwd=Path(env["BOT_INDEX_DIR"]).parent,
    )


def test_ask_prints_the_quote_and_its_source(env) -> None:
    proc = bot(env, "ask", "Việt Nam có quan hệ ngoại giao với bao nhiêu quốc gia?")
    assert proc.returncode == 0, proc.stderr
    assert "193 quốc gia" in proc.stdout
    assert "Nguồn: Kế hoạch số 10-KH/ĐUK" in proc.stdout
    assert "Traceback" not in proc.stderr


def test_batch_json_follows_the_contract_in_order(run_main) -> None:
    questions = [
        "ngay thanh lap dang cong san viet nam",
        "",
        "🙂🙂",
        "x" * 10_000,
        unicodedata.normalize("NFD", "Ban Chỉ đạo 35 của Đảng ủy Khối"),
        "Công thức làm bánh flan",
        "a\x00b\x07c",
    ]
    status, out, err = run_main("ask", "--json", "--file", "-", stdin="\n".join(questions) + "\n")
    assert status == 0, err
    lines = [json.loads(line) for line in out.splitlines()]
    assert len(lines) == len(questions)
    assert lines[0]["answered"] and "03/02/1930" in lines[0]["results"][0]["text"]
    assert not lines[1]["answered"] and lines[1]["results"] == []
    assert not lines[3]["answered"] and "quá dài" in lines[3]["error"]
    assert lines[4]["answered"]
    assert not lines[5]["answered"] and lines[5]["results"]
    for line in lines:
        assert set(line) >= {"question", "answered", "results"}


def test_bad_single_questions_get_a_clear_message_not_a_traceback(run_main) -> None:
    for bad in ["   ", "🙂", "y" * 10_000]:
        status, _, err = run_main("ask", bad)
        assert status == 2
        assert "Traceback" not in err and "câu hỏi" in err.lower()
    assert "10.000 ký tự" in err  # the length, with the Vietnamese thousands separator


def test_reindex_with_nothing_changed_reports_it(env) -> None:
    started = time.monotonic()
    proc = bot(env, "reindex")
    waited = time.monotonic() - started
    assert proc.returncode == 0, proc.stderr
    assert "không có gì thay đổi" in proc.stdout
    # the time it reports is the time the operator waited, model and imports included
    reported = float(re.search(r"\(([0-9.]+) giây\)", proc.stdout).group(1))
    assert 0.3 * waited <= reported + 0.05 <= waited + 0.1


def test_the_reported_time_counts_from_the_start_of_the_process() -> None:
    code = (
        "import time; time.sleep(1.5)\n"
        "from bot.cli.reporting import since_process_start\n"
        "print(since_process_start())"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert 1.5 <= float(proc.stdout) < 30, proc.stderr


def test_bad_setting_is_named_at_start(run_main) -> None:
    status, _, err = run_main("ask", "xin chào", extra={"BOT_EMBEDDING_BACKEND": "word2vec"})
    assert status == 1
    assert "BOT_EMBEDDING_BACKEND" in err and "Traceback" not in err


def test_console_chat_answers_pages_and_quits(env) -> None:
    script = "Ban Chỉ đạo 35 của Đảng ủy Khối\n/khac\n/lenh-la\n\n/thoat\n"
    proc = bot(env, "run", stdin=script)
    assert proc.returncode == 0, proc.stderr
    assert "Ban Chỉ đạo 35" in proc.stdout
    assert "Kết quả 2/5" in proc.stdout  # /khac pressed the answer's next-page button
    assert "Lệnh không có." in proc.stdout
    assert "Traceback" not in proc.stderr
