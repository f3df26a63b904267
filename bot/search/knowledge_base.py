"""The knowledge base as a service: load or build the index, search it, rebuild and swap.

Two ways to open it. The CLI's `open` builds first when the index is missing or stale and
then serves. The bot's `serve_then_refresh` serves the last good build at once (answers
meanwhile, /readyz ready) and only then rebuilds a stale one; a failed rebuild leaves
that build serving, is kept in `status()` with its reason, and `retry_if_changed` tries
again once the knowledge files change.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from bot.errors import BuildInProgress, IndexCorrupt
from bot.knowledge.limits import ParseLimits
from bot.search.build import BuildProgress, BuildSummary, build_index
from bot.search.encoders import Encoder
from bot.search.freshness import fingerprint, is_fresh
from bot.search.index import LoadedIndex, complete_builds, current_build, load_build, load_index
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
        limits: ParseLimits | None = None,
    ) -> None:
        self.knowledge_dir = knowledge_dir
        self.index_dir = index_dir
        self.encoder = encoder
        self.threshold = threshold
        self.hnsw_threshold = hnsw_threshold
        self.limits = limits
        self._retriever: Retriever | None = None
        self._building = threading.Lock()
        self.last_error: str | None = None  # why the latest build failed; None once one succeeds
        self._failed_on: dict | None = None  # the knowledge files as they were then
        self._spare: dict = {}  # vectors the last build encoded, kept for a retry

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

    def serve_last_good(self) -> bool:
        """Serve the newest complete build that loads, fresh or stale; True when one serves.

        CURRENT first; a build a killed process finished but never published comes next.
        """
        for build in complete_builds(self.index_dir):
            try:
                # an older format still serves: the rebuild behind it brings the new one
                self._install(load_build(build, self.encoder.id, self.encoder.dim, older=True))
            except IndexCorrupt as exc:
                log.warning("bản dựng %s không dùng được: %s", build.name, exc)
                continue
            log.info("serving index build %s", build.name)
            return True
        return False

    def serve_then_refresh(self, progress: BuildProgress | None = None) -> BuildSummary | None:
        """The bot's start: serve what is on disk now, then rebuild if it is stale or damaged.

        Never raises for a failed build: the reason is kept in `last_error`.
        """
        serving_current = self.serve_last_good() and self.index.path == current_build(
            self.index_dir
        )
        if serving_current and is_fresh(self.knowledge_dir, self.index_dir, self.encoder.id):
            return None
        try:
            return self.rebuild(progress, force=not serving_current)
        except BuildInProgress:  # another process builds: its result is read on the next change
            return None
        except Exception as exc:  # recorded by rebuild; the last good build keeps serving
            log.warning("dựng lại chỉ mục thất bại: %s", exc)
            return None

    def retry_if_changed(self) -> BuildSummary | None:
        """After a failed build, try again once the knowledge files have changed."""
        if self.last_error is None or fingerprint(self.knowledge_dir) == self._failed_on:
            return None
        try:
            return self.rebuild()
        except Exception as exc:
            log.warning("dựng lại chỉ mục thất bại: %s", exc)
            return None

    def follow_current(self) -> bool:
        """Serve the build another process published (a `reindex`, another replica); True if so."""
        build = current_build(self.index_dir)
        if build is None or self.building or (self.index is not None and self.index.path == build):
            return False
        try:
            self._install(load_build(build, self.encoder.id, self.encoder.dim))
        except IndexCorrupt as exc:  # half-visible or damaged: keep what serves
            log.warning("bản dựng %s không dùng được: %s", build.name, exc)
            return False
        log.info("serving index build %s, published by another process", build.name)
        return True

    def status(self) -> dict:
        """What /readyz shows: the build serving, whether one runs, the last failure."""
        index = self.index
        return {
            "serving": index.path.name if index else None,
            "built_at": index.manifest.built_at if index else None,
            "building": self.building,
            "last_error": self.last_error,
        }

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
            before = fingerprint(self.knowledge_dir)
            try:
                summary = build_index(
                    self.knowledge_dir,
                    self.index_dir,
                    self.encoder,
                    hnsw_threshold=self.hnsw_threshold,
                    progress=progress,
                    force=force,
                    limits=self.limits,
                    spare=self._spare,
                )
                if summary.changed or self._retriever is None:
                    self._install(self._load())
            except BuildInProgress:
                raise
            except Exception as exc:
                self.last_error, self._failed_on = str(exc) or type(exc).__name__, before
                raise
            self.last_error = self._failed_on = None
            self._spare.clear()  # the new build holds them now
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
