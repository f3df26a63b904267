"""The knowledge base as a service: load or build the index, search it, rebuild and swap."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from bot.errors import BuildInProgress, IndexCorrupt
from bot.search.build import BuildProgress, BuildSummary, build_index, is_fresh
from bot.search.encoders import Encoder
from bot.search.index import LoadedIndex, current_build, load_index
from bot.search.retriever import Retriever, SearchResult

log = logging.getLogger(__name__)


class KnowledgeBase:
    """Owns the encoder and the index in use; a rebuild swaps in a new Retriever whole."""

    def __init__(
        self,
        knowledge_dir: Path,
        index_dir: Path,
        encoder: Encoder,
        *,
        threshold: float | None = None,
        hnsw_threshold: int = 200_000,
    ) -> None:
        self.knowledge_dir = knowledge_dir
        self.index_dir = index_dir
        self.encoder = encoder
        self.threshold = threshold
        self.hnsw_threshold = hnsw_threshold
        self._retriever: Retriever | None = None
        self._building = threading.Lock()

    @property
    def ready(self) -> bool:
        return self._retriever is not None

    @property
    def index(self) -> LoadedIndex | None:
        return self._retriever.index if self._retriever else None

    def open(self, progress: BuildProgress | None = None) -> BuildSummary | None:
        """Serve the index on disk; build it first when missing, stale, foreign or damaged."""
        if is_fresh(self.knowledge_dir, self.index_dir, self.encoder.id):
            try:
                self._install(self._load())
                return None
            except IndexCorrupt as exc:
                log.warning("chỉ mục không dùng được (%s): dựng lại", exc)
                return self.rebuild(progress, force=True)
        return self.rebuild(progress)

    def _load(self) -> LoadedIndex:
        for attempt in range(2):
            build = current_build(self.index_dir)
            try:
                return load_index(self.index_dir, self.encoder.id, self.encoder.dim)
            except IndexCorrupt:
                # another process may have swapped builds while we read: read the new one
                if attempt or current_build(self.index_dir) == build:
                    raise
        raise AssertionError("unreachable")

    def _install(self, index: LoadedIndex) -> None:
        self._retriever = Retriever(index, self.encoder, self.threshold)

    def rebuild(
        self, progress: BuildProgress | None = None, *, force: bool = False
    ) -> BuildSummary:
        """Build a new index and swap it in; meanwhile searches use the old one."""
        if not self._building.acquire(blocking=False):
            raise BuildInProgress("Đang cập nhật kho tri thức, vui lòng chờ.")
        try:
            summary = build_index(
                self.knowledge_dir,
                self.index_dir,
                self.encoder,
                hnsw_threshold=self.hnsw_threshold,
                progress=progress,
                force=force,
            )
            if summary.changed or self._retriever is None:
                self._install(self._load())
            return summary
        finally:
            self._building.release()

    @property
    def building(self) -> bool:
        return self._building.locked()

    def search(self, question: str, k: int = 5) -> SearchResult:
        retriever = self._retriever
        if retriever is None:
            raise IndexCorrupt("Kho tri thức chưa sẵn sàng.")
        return retriever.search(question, k=k)
