"""Build the index from the knowledge directory: reuse unchanged vectors, swap atomically."""

from __future__ import annotations

import fcntl
import logging
import shutil
import time
from array import array
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import bm25s
import numpy as np
from bm25s.tokenization import Tokenized

from bot.errors import BuildError, BuildInProgress
from bot.knowledge.chunking import Chunk, embedding_text
from bot.knowledge.document import SkippedFile
from bot.knowledge.limits import ParseLimits
from bot.knowledge.sandbox import ParsedFile, ParseSandbox
from bot.knowledge.scan import scan
from bot.search.encoders import Encoder
from bot.search.freshness import fingerprint, is_fresh
from bot.search.index import (
    FORMAT_VERSION,
    Manifest,
    current_build,
    file_sha256,
    make_dense,
    publish,
    read_chunks,
    read_manifest,
    remove_incomplete,
    verify_files,
    write_build,
)
from bot.text import Vocabulary, tokens

log = logging.getLogger(__name__)

# (stage, done, total): stage is "đọc tài liệu" | "mã hóa" | "ghi chỉ mục"
BuildProgress = Callable[[str, int, int], None]


@dataclass
class BuildSummary:
    """What a build did, for the CLI and the admin who asked for it."""

    documents: int = 0
    chunks: int = 0
    embedded: int = 0  # chunks that went through the encoder (the rest were reused)
    skipped: list[SkippedFile] = field(default_factory=list)
    seconds: float = 0.0
    changed: bool = True


@contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """One build at a time per index directory, across processes."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".build.lock", "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildInProgress("Đang cập nhật kho tri thức, vui lòng chờ.") from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _reusable_vectors(index_dir: Path, encoder: Encoder) -> dict[str, np.ndarray]:
    """content hash -> vector from the current build, when it used the same encoder."""
    build = current_build(index_dir)
    manifest = read_manifest(index_dir)
    if build is None or manifest is None or manifest.encoder != encoder.id:
        return {}
    try:
        # a tampered vector or chunk table must not be carried into the new build
        verify_files(build, manifest, ("chunks.jsonl", "vectors.npy"))
        _, hashes = read_chunks(build)
        vectors = np.load(build / "vectors.npy", mmap_mode="r")
        if len(vectors) != len(hashes):
            return {}
        return {digest: vectors[i] for i, digest in enumerate(hashes)}
    except Exception as exc:  # a damaged old build only costs re-embedding
        log.warning("không dùng lại được vector cũ: %s", exc)
        return {}


def lexical_index(chunks: list[Chunk]) -> bm25s.BM25:
    """BM25 over folded syllables and pairs; tokens interned as ids to keep 100k passages small."""
    vocab: dict[str, int] = {}
    ids = [
        array("I", [vocab.setdefault(t, len(vocab)) for t in tokens(f"{c.section} {c.text}")])
        for c in chunks
    ]
    lexical = bm25s.BM25()
    lexical.index(Tokenized(ids=ids, vocab=vocab), show_progress=False)
    return lexical


def build_index(
    knowledge_dir: Path,
    index_dir: Path,
    encoder: Encoder,
    *,
    hnsw_threshold: int = 200_000,
    progress: BuildProgress | None = None,
    force: bool = False,
    limits: ParseLimits | None = None,
    spare: dict[str, np.ndarray] | None = None,
) -> BuildSummary:
    """Rebuild `index_dir` from `knowledge_dir`; on failure the old build keeps serving.

    `spare` (content hash -> vector) carries what a build encoded to the next one, so a
    build that failed after encoding (disk full) costs no encoding when retried.
    """
    started = time.monotonic()
    report = progress or (lambda stage, done, total: None)
    with build_lock(index_dir):
        for name in remove_incomplete(index_dir):  # what a killed build left behind
            log.warning("xóa bản dựng dở dang %s", name)
        if not force and is_fresh(knowledge_dir, index_dir, encoder.id):
            manifest = read_manifest(index_dir)
            assert manifest is not None
            return BuildSummary(
                documents=len(manifest.documents) - len(manifest.skipped),
                chunks=manifest.chunks,
                skipped=[SkippedFile(**s) for s in manifest.skipped],
                seconds=time.monotonic() - started,
                changed=False,
            )
        try:
            return _build(
                knowledge_dir, index_dir, encoder, hnsw_threshold, report, started, limits, spare
            )
        except BuildError:
            raise
        except Exception as exc:
            log.exception("build failed")
            raise BuildError(f"Không dựng được chỉ mục: {type(exc).__name__}: {exc}") from exc


def _build(
    knowledge_dir: Path,
    index_dir: Path,
    encoder: Encoder,
    hnsw_threshold: int,
    report: BuildProgress,
    started: float,
    limits: ParseLimits | None,
    spare: dict[str, np.ndarray] | None,
) -> BuildSummary:
    if not knowledge_dir.is_dir():
        raise BuildError(f"Không có thư mục tài liệu: {knowledge_dir}")
    files = fingerprint(knowledge_dir)
    documents, chunks, skipped, about = _read_documents(knowledge_dir, limits, report)
    for rel, stat in files.items():
        if stat.get("folder"):
            continue
        try:
            stat["sha256"] = file_sha256(knowledge_dir / rel)
        except OSError:
            # recorded without a hash: is_fresh then watches its stat for a change
            stat["sha256"] = None
            if all(s.path != rel for s in skipped):
                skipped.append(SkippedFile(rel, "không đọc được tệp (không có quyền truy cập)"))
    if not chunks:
        raise BuildError("Không có đoạn văn nào để lập chỉ mục (thư mục tài liệu rỗng?)")
    _describe(files, about, chunks, read_manifest(index_dir))

    # vectors a failed build of this process paid for (a full disk) are not paid for twice
    reuse = {**(spare if spare is not None else {}), **_reusable_vectors(index_dir, encoder)}
    hashes = [c.content_hash for c in chunks]
    missing = [i for i, h in enumerate(hashes) if h not in reuse]
    vectors = np.zeros((len(chunks), encoder.dim), dtype=np.float32)
    for i, digest in enumerate(hashes):
        if digest in reuse:
            vectors[i] = reuse[digest]
    if missing:
        # announced before the first batch: a first build embeds for tens of seconds
        report("mã hóa", 0, len(missing))
        fresh = encoder.passages(
            [embedding_text(chunks[i]) for i in missing],
            progress=lambda done, total: report("mã hóa", done, total),
        )
        vectors[missing] = fresh
        if spare is not None:
            spare.clear()
            spare.update((hashes[i], vectors[i]) for i in missing)
    report("ghi chỉ mục", 0, 1)

    dense, kind = make_dense(vectors, hnsw_threshold)
    lexical = lexical_index(chunks)
    vocabulary = Vocabulary.from_texts(c.text for c in chunks)
    vocabulary.prune()

    manifest = Manifest(
        format=FORMAT_VERSION,
        encoder=encoder.id,
        dim=encoder.dim,
        built_at=datetime.now(UTC).isoformat(timespec="seconds"),
        chunks=len(chunks),
        dense=kind,
        documents=files,
        skipped=[{"path": s.path, "reason": s.reason} for s in skipped],
    )
    builds = index_dir / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    name = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    try:
        write_build(builds / name, manifest, chunks, vectors, dense, lexical, vocabulary)
    except BaseException:
        shutil.rmtree(builds / name, ignore_errors=True)  # a full disk leaves no half build
        raise
    publish(index_dir, builds / name)
    report("ghi chỉ mục", 1, 1)
    return BuildSummary(
        documents=documents,
        chunks=len(chunks),
        embedded=len(missing),
        skipped=skipped,
        seconds=time.monotonic() - started,
    )


def _describe(
    files: dict[str, dict], about: dict[str, dict], chunks: list[Chunk], before: Manifest | None
) -> None:
    """Each read document's entry in the manifest gets what it says of itself (title, kind,
    date, source, approved_by), its passage count, and when its current content was first
    indexed (kept from the last build while the file is unchanged): the console lists them."""
    passages: dict[str, int] = {}
    for chunk in chunks:
        passages[chunk.doc_path] = passages.get(chunk.doc_path, 0) + 1
    now = datetime.now(UTC).isoformat(timespec="seconds")
    earlier = before.documents if before is not None else {}
    for rel, said in about.items():
        entry = files.get(rel)
        if entry is None:
            continue
        known = earlier.get(rel, {})
        same = known.get("sha256") is not None and known.get("sha256") == entry.get("sha256")
        entry.update(said, passages=passages.get(rel, 0))
        entry["indexed_at"] = known.get("indexed_at", now) if same else now


def _read_documents(
    knowledge_dir: Path, limits: ParseLimits | None, report: BuildProgress
) -> tuple[int, list[Chunk], list[SkippedFile], dict[str, dict]]:
    """(documents read, their passages, skipped files and folders, what each document read
    says of itself), parsed in the sandbox."""
    listing = scan(knowledge_dir)
    report("đọc tài liệu", 0, len(listing.files))
    chunks: list[Chunk] = []
    skipped: list[SkippedFile] = list(listing.unreadable)
    documents = 0
    about: dict[str, dict] = {}
    suffixes = frozenset(p.suffix.lower() for p in listing.files)
    with ParseSandbox(limits, suffixes) as sandbox:
        for done, path in enumerate(listing.files, 1):
            result = sandbox.parse(path, knowledge_dir)
            if isinstance(result, ParsedFile):
                documents += 1
                chunks.extend(result.chunks)
                about[result.path] = result.about
            else:
                log.warning("bỏ qua %s: %s", result.path, result.reason)
                skipped.append(result)
            report("đọc tài liệu", done, len(listing.files))
    return documents, chunks, skipped, about
