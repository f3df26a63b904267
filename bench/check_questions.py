"""Check bench/questions.jsonl expects against the knowledge document; count per tag."""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "shared/knowledge/000_4ebf497a8b60bb1d.txt"
DEV = ROOT / "shared/eval/dev.jsonl"
QUESTIONS = Path(__file__).with_name("questions.jsonl")
TAGS = {"para", "nodiac", "variant", "oos"}
PAGE_BREAK = re.compile(r"(?<=[^\W\d_]|[,;])\n\n(?=[^\W\d_])")


def join_page_breaks(text: str) -> str:
    """Join a blank-line break when the next line starts in lower case (a split sentence)."""
    return PAGE_BREAK.sub(lambda m: " " if text[m.end()].islower() else m.group(), text)


def norm(s: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", s)).strip()


def words(s: str) -> set[str]:
    return set(re.findall(r"\w+", unicodedata.normalize("NFC", s).lower()))


def main() -> int:
    raw = unicodedata.normalize("NFC", DOC.read_text(encoding="utf-8"))
    joined = norm(join_page_breaks(raw))
    lines = [norm(line) for line in raw.split("\n") if line.strip()]
    items = [json.loads(x) for x in QUESTIONS.read_text(encoding="utf-8").splitlines() if x.strip()]
    dev = [json.loads(x)["q"] for x in DEV.read_text(encoding="utf-8").splitlines() if x.strip()]
    errors: list[str] = []
    notes: list[str] = []
    seen: set[str] = set()
    for n, item in enumerate(items, 1):
        q, exp, tag = item["q"], item["expect"], item.get("tag")
        where = f"line {n} ({q!r})"
        if tag not in TAGS:
            errors.append(f"{where}: bad tag {tag!r}")
        if q in seen:
            errors.append(f"{where}: duplicate question")
        seen.add(q)
        if (exp is None) != (tag == "oos"):
            errors.append(f"{where}: expect must be null exactly for oos")
        if tag == "nodiac" and (not q.isascii() or q != q.lower()):
            errors.append(f"{where}: nodiac question must be lowercase ASCII")
        if tag in {"para", "variant"} and q.isascii():
            errors.append(f"{where}: {tag} question has no diacritics")
        for d in dev:
            overlap = len(words(q) & words(d)) / max(len(words(q) | words(d)), 1)
            if overlap > 0.5:
                notes.append(f"{where}: close to dev question {d!r} ({overlap:.2f})")
        for e in exp or []:
            ne = norm(e)
            if not 10 <= len(ne) <= 80:
                notes.append(f"{where}: expect {e!r} is {len(ne)} chars")
            if ne not in joined:
                errors.append(f"{where}: expect {e!r} not in document")
            hits = sum(ne in line for line in lines)
            if hits == 0:
                errors.append(f"{where}: expect {e!r} spans a line break")
            elif hits > 1:
                notes.append(f"{where}: expect {e!r} occurs in {hits} paragraphs")
    for msg in notes:
        print("note:", msg)
    for msg in errors:
        print("ERROR:", msg)
    for tag, count in sorted(Counter(i.get("tag") for i in items).items()):
        print(f"{tag:8s} {count}")
    print(f"total    {len(items)}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
