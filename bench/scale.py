"""Scale: build time, query latency and peak memory with 1k, 10k and 100k synthetic passages.

    python bench/scale.py [SIZES…]        (default: 1000 10000 100000)

Each size runs in its own process (so peak RSS is that size's alone). The knowledge base is
synthetic: documents of numbered sections whose paragraphs are random walks over the sample
plan's syllable pairs, so BM25 and the chunker see Vietnamese-shaped text. Vectors come from
the fast hash stand-in encoder: what is measured is loading, chunking, indexing, searching
and memory, not the model (the e5 query embedding adds ~15-35 ms, see bench/latency.py).
"""

from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PARAS_PER_DOC = 100


def synthetic_corpus(target: Path, passages: int, seed: int = 7) -> None:
    from bot.knowledge.loaders import load_directory
    from bot.text import syllables

    docs, _ = load_directory(ROOT / "knowledge")
    words = [w for d in docs for w in syllables(d.text)]
    follow: dict[str, list[str]] = {}
    for a, b in zip(words, words[1:], strict=False):
        follow.setdefault(a, []).append(b)
    rng = random.Random(seed)
    target.mkdir(parents=True)
    for d in range(max(1, passages // PARAS_PER_DOC)):
        lines = [f"KẾ HOẠCH SỐ {d}-KH", ""]
        for p in range(PARAS_PER_DOC):
            if p % 10 == 0:
                lines += [f"{'IVX'[p // 40 % 3]} - PHẦN {p // 10 + 1}", ""]
            word = rng.choice(words)
            out = []
            for _ in range(rng.randint(60, 140)):
                out.append(word)
                word = rng.choice(follow.get(word) or words)
            lines += ["- " + " ".join(out).capitalize() + ".", ""]
        (target / f"doc{d:05d}.txt").write_text("\n".join(lines), encoding="utf-8")


def peak_rss_mb() -> int:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def build(size: int, workdir: Path) -> dict:
    """Write the corpus and build its index: this process's peak RSS is the build's."""
    from bot.search.encoders import HashEncoder
    from bot.search.knowledge_base import KnowledgeBase

    synthetic_corpus(workdir / "knowledge", size)
    kb = KnowledgeBase(workdir / "knowledge", workdir / "index", HashEncoder())
    t0 = time.perf_counter()
    summary = kb.open()
    return {
        "passages": summary.chunks,
        "build_s": round(time.perf_counter() - t0, 1),
        "build_rss_mb": peak_rss_mb(),
    }


def serve(workdir: Path) -> dict:
    """Load the built index as the bot does at start, then answer our question set."""
    from bot.search.encoders import HashEncoder
    from bot.search.knowledge_base import KnowledgeBase

    t0 = time.perf_counter()
    kb = KnowledgeBase(workdir / "knowledge", workdir / "index", HashEncoder())
    assert kb.open() is None, "index should be up to date"
    load_s = time.perf_counter() - t0
    # the first question about a document's signer reads every passage for a foot, once
    # (after one ordinary question, so the index's own first-search costs are not counted)
    kb.search("Mục đích của kế hoạch là gì?")
    t0 = time.perf_counter()
    kb.search("Kế hoạch này do ai ký?")
    first_foot_ms = (time.perf_counter() - t0) * 1000
    questions = [
        json.loads(line)["q"]
        for line in (ROOT / "bench" / "questions.jsonl").open(encoding="utf-8")
    ]
    for q in questions[:10]:
        kb.search(q)
    lat = []
    for q in questions * 2:
        t0 = time.perf_counter()
        kb.search(q)
        lat.append((time.perf_counter() - t0) * 1000)
    lat.sort()
    return {
        "dense": kb.index.manifest.dense,
        "load_s": round(load_s, 2),
        "p50_ms": round(lat[len(lat) // 2], 1),
        "p95_ms": round(lat[int(len(lat) * 0.95)], 1),
        "first_foot_ms": round(first_foot_ms),
        "serve_rss_mb": peak_rss_mb(),
    }


def child(*args: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, *args], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> int:
    if len(sys.argv) > 2 and sys.argv[1] == "--build":
        print(json.dumps(build(int(sys.argv[2]), Path(sys.argv[3]))))
        return 0
    if len(sys.argv) > 1 and sys.argv[1] == "--serve":
        print(json.dumps(serve(Path(sys.argv[2]))))
        return 0
    sizes = [int(s) for s in sys.argv[1:]] or [1_000, 10_000, 100_000]
    print(
        f"{'passages':>9} {'dense':>6} {'build s':>8} {'build RSS MB':>13} {'load s':>7} "
        f"{'p50 ms':>7} {'p95 ms':>7} {'serve RSS MB':>13} {'1st foot ms':>12}"
    )
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            b = child("--build", str(size), tmp)
            s = child("--serve", tmp)
        print(
            f"{b['passages']:>9} {s['dense']:>6} {b['build_s']:>8} {b['build_rss_mb']:>13} "
            f"{s['load_s']:>7} {s['p50_ms']:>7} {s['p95_ms']:>7} {s['serve_rss_mb']:>13} "
            f"{s['first_foot_ms']:>12}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
