"""Questions about a document itself: "Kế hoạch này là văn bản số mấy?".

An official document's number stands in its letterhead ("Số 45-KH/ĐU"), which shares few
words with the question; the question names the document by what it is about, so how well
it names a document is told by that document's best passage. The letterhead is then
answered with that confidence, and it is a candidate whenever its document is.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.knowledge.chunking import Chunk
from bot.search.evidence import REFERENCE, holds


def letterheads(chunks: Sequence[Chunk]) -> dict[str, int]:
    """Document -> the passage whose lines give the document's own number."""
    found: dict[str, int] = {}
    for i, chunk in enumerate(chunks):
        if chunk.doc_path not in found and holds(REFERENCE, chunk.text):
            found[chunk.doc_path] = i
    return found


def with_letterheads(
    ranked: list[int], chunks: Sequence[Chunk], heads: dict[str, int]
) -> list[int]:
    """The candidates, and the letterhead of every candidate's document after them."""
    seen = set(ranked)
    extra = []
    for i in ranked:
        head = heads.get(chunks[i].doc_path)
        if head is not None and head not in seen:
            seen.add(head)
            extra.append(head)
    return ranked + extra


def as_named(
    ranking: list[float], chunks: Sequence[Chunk], answering: Sequence[bool], penalty: float
) -> list[float]:
    """Each letterhead scored as its document's best passage (before that passage lost
    `penalty` for not giving the number)."""
    named: dict[str, float] = {}
    for score, chunk, gives in zip(ranking, chunks, answering, strict=True):
        whole = score if gives else score + penalty
        named[chunk.doc_path] = max(named.get(chunk.doc_path, whole), whole)
    return [
        max(score, named[chunk.doc_path]) if gives else score
        for score, chunk, gives in zip(ranking, chunks, answering, strict=True)
    ]
