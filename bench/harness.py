"""What the end-to-end benchmarks share: the question set, percentiles, starting the bot."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def questions() -> list[str]:
    lines = (ROOT / "bench" / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["q"] for line in lines if line.strip()]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(q * len(ordered)), len(ordered) - 1)]


def launch(work: Path, env: dict[str, str], name: str = "") -> subprocess.Popen:
    """Build the index, then start `python -m bot run` in `work` (its log in bot<name>.log)."""
    subprocess.run(
        [sys.executable, "-m", "bot", "reindex"], cwd=work, env=env, check=True, capture_output=True
    )
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=work,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(work / f"bot{name}.log", "w"),  # noqa: SIM115 - the child owns it until it exits
    )
