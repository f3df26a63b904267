"""QueryFirstEncoder: same vectors as the wrapped encoder; a query never waits for a batch."""

from __future__ import annotations

import threading
import time

import numpy as np

from bot.assistant.sharing import QueryFirstEncoder
from bot.search.encoders import HashEncoder


class SlowEncoder(HashEncoder):
    """A hash encoder that takes 50 ms a passage and holds one lock for a whole batch."""

    def __init__(self) -> None:
        super().__init__()
        self.lock = threading.Lock()

    def passages(self, texts, progress=None):
        with self.lock:
            time.sleep(0.05 * len(texts))
            return super().passages(texts, progress)

    def query(self, text):
        with self.lock:
            return super().query(text)


def test_same_vectors_and_progress():
    inner = HashEncoder()
    shared = QueryFirstEncoder(inner)
    texts = ["một", "hai ba", "bốn năm sáu"]
    seen = []
    out = shared.passages(texts, lambda done, total: seen.append((done, total)))
    assert np.array_equal(out, inner.passages(texts))
    assert np.array_equal(shared.query("hai"), inner.query("hai"))
    assert shared.id == inner.id and seen[-1] == (3, 3)


def test_a_query_during_a_build_waits_one_passage_not_the_batch():
    shared = QueryFirstEncoder(SlowEncoder())
    build = threading.Thread(target=shared.passages, args=([f"đoạn {i}" for i in range(20)],))
    build.start()
    time.sleep(0.1)  # let the build get going
    started = time.monotonic()
    shared.query("câu hỏi")
    waited = time.monotonic() - started
    build.join()
    assert waited < 0.2  # one 50 ms passage at most, not the remaining second of the batch
