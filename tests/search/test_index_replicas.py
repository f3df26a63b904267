"""/capnhat on one replica: every replica serves the new index within seconds.

Two knowledge bases over one index directory (two replicas on a shared volume), each with
its knowledge keeper watching the CURRENT pointer. The one that rebuilds swaps at once; the
other keeps answering from the old build (loaded in its memory: the files publish removes
are not read again) until its keeper sees CURRENT move, then serves the new one.
"""

from __future__ import annotations

import asyncio
import time

from bot.search.encoders import HashEncoder
from bot.search.keeper import KnowledgeKeeper
from bot.search.knowledge_base import KnowledgeBase

NEW = "Chi bộ tổ chức phủ xanh thông tin tích cực vào thứ Hai hằng tuần."


async def test_a_rebuild_on_one_replica_is_served_by_the_other_within_seconds(
    knowledge_dir, tmp_path
):
    index_dir = tmp_path / "index"
    one = KnowledgeBase(knowledge_dir, index_dir, HashEncoder(64))
    one.open()
    two = KnowledgeBase(knowledge_dir, index_dir, HashEncoder(64))
    two.open()
    old = two.index.path
    assert one.index.path == old  # the second replica loaded what the first built

    told: list[str] = []

    async def notify(reason: str) -> None:
        told.append(reason)

    keeper = KnowledgeKeeper(two, notify, interval=0.1)
    (knowledge_dir / "moi.txt").write_text(NEW, encoding="utf-8")
    await asyncio.to_thread(one.rebuild)  # /capnhat on the first replica
    new = one.index.path
    assert new != old and not old.exists()  # published; the old build's files are gone
    # until its keeper looks, the second replica answers from the old build, in memory
    assert two.index.path == old
    assert two.search("Đại hội đại biểu").hits  # still answering, from the old build
    assert not any(NEW in c.text for c in two.index.chunks)

    await keeper.start()
    try:
        deadline = time.monotonic() + 10
        while two.index.path != new:
            assert time.monotonic() < deadline, "the other replica never followed CURRENT"
            await asyncio.sleep(0.05)
    finally:
        await keeper.stop()
    assert any(NEW in c.text for c in two.index.chunks)
    assert told == []  # nothing failed
