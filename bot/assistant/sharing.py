"""One model for members and /reload: queries go first, a rebuild encodes between them.

The encoders hold their lock for a whole batch of 16 passages; with e5-small on two cores
that is seconds, and a member asking during a reload would wait for it. This wrapper feeds
the build one passage at a time and lets waiting queries take the model in between.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np

from bot.search.encoders import Encoder, Progress

MAX_YIELD = 1.0  # seconds a build waits for queries before encoding anyway (no starvation)


class QueryFirstEncoder:
    """Same id and vectors as the wrapped encoder; only the order of work changes."""

    def __init__(self, inner: Encoder) -> None:
        self.inner = inner
        self.id = inner.id
        self.dim = inner.dim
        self._queries = 0
        self._idle = threading.Condition()

    def query(self, text: str) -> np.ndarray:
        with self._idle:
            self._queries += 1
        try:
            return self.inner.query(text)
        finally:
            with self._idle:
                self._queries -= 1
                self._idle.notify_all()

    def passages(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            with self._idle:
                self._idle.wait_for(lambda: self._queries == 0, timeout=MAX_YIELD)
            out[i] = self.inner.passages([text])[0]
            if progress:
                progress(i + 1, len(texts))
        return out
