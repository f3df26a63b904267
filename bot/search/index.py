"""The index on disk: chunk table, vectors, lexical index, vocabulary and a manifest.

Layout of `index/`:
    CURRENT             the name of the build in use (replaced atomically by os.replace)
    builds/<name>/      manifest.json, chunks.jsonl, vectors.npy, dense.faiss, bm25/, vocab.json
A reader follows CURRENT once and loads everything into memory, so a build that swaps
CURRENT (and removes old builds) never pulls files from under a running process.
The manifest, written last, marks a build complete and records the size and SHA-256 of
every other file: a build whose files do not match (even a same-size edit) is refused.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path

import bm25s
import faiss
import numpy as np

from bot.errors import IndexCorrupt
from bot.knowledge.chunking import Chunk
from bot.text import Vocabulary

# Bump whenever chunking, units or tokens change: an older build is then rebuilt (vectors reused).
# 5: `files` records each file's sha256 beside its size.
# 6: chunking follows the headings a file marks (Word styles, PDF outline, HTML, Markdown);
#    the files' layout is that of 5.
# 7: a full stop after an initial or an abbreviation ("Michael E. Mann") ends no unit.
FORMAT_VERSION = 7
# Older formats this code can still read and serve while a build in FORMAT_VERSION runs
# (4 differs from 5 only in the manifest: sizes without hashes; 5 from 6 only in how the
# passages were cut; 6 from 7 only in the units). Drop one when its files can no longer be
# read as they are.
SERVABLE_FORMATS = frozenset({4, 5, 6, FORMAT_VERSION})
log = logging.getLogger(__name__)
# bm25s sets its logger to DEBUG when imported, after any configuration of ours: quiet it here
logging.getLogger("bm25s").setLevel(logging.WARNING)


@dataclass
class Manifest:
    """What a build holds and what it was made from."""

    format: int
    encoder: str
    dim: int
    built_at: str
    chunks: int
    dense: str  # "flat" | "hnsw"
    documents: dict[str, dict] = field(default_factory=dict)  # path -> sha256, size, mtime_ns
    skipped: list[dict] = field(default_factory=list)  # path, reason
    # file name (relative to the build) -> {"size": bytes, "sha256": hex}
    files: dict[str, dict] = field(default_factory=dict)

    @classmethod
    def read(cls, path: Path) -> Manifest:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(**data)
        except (OSError, ValueError, TypeError) as exc:
            raise IndexCorrupt(f"không đọc được manifest: {exc}") from exc


@dataclass
class LoadedIndex:
    """One build, in memory: immutable once loaded, swapped whole."""

    manifest: Manifest
    chunks: list[Chunk]
    dense: faiss.Index
    lexical: bm25s.BM25
    vocabulary: Vocabulary
    idf: dict[str, float]
    path: Path

    @cached_property
    def max_idf(self) -> float:
        # read ~60 times a search: scanning the vocabulary each time cost more than the ranking
        return max(self.idf.values(), default=1.0)


def current_build(index_dir: Path) -> Path | None:
    pointer = index_dir / "CURRENT"
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except OSError:
        return None
    build = index_dir / "builds" / name
    return build if name and build.is_dir() else None


def chunk_to_json(chunk: Chunk) -> str:
    data = asdict(chunk)
    data["hash"] = chunk.content_hash
    return json.dumps(data, ensure_ascii=False)


def chunk_from_json(line: str) -> tuple[Chunk, str]:
    data = json.loads(line)
    digest = data.pop("hash")
    data["units"] = tuple(data["units"])
    return Chunk(**data), digest


def make_dense(vectors: np.ndarray, hnsw_threshold: int) -> tuple[faiss.Index, str]:
    """Exact inner product (cosine on unit vectors); HNSW once the base is large."""
    dim = vectors.shape[1]
    if len(vectors) > hnsw_threshold:
        index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        index.hnsw.efSearch = 64
        kind = "hnsw"
    else:
        index = faiss.IndexFlatIP(dim)
        kind = "flat"
    if len(vectors):
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index, kind


def write_build(
    build: Path,
    manifest: Manifest,
    chunks: list[Chunk],
    vectors: np.ndarray,
    dense: faiss.Index,
    lexical: bm25s.BM25,
    vocabulary: Vocabulary,
) -> None:
    """Write every file of a build, the manifest last (its presence marks it complete)."""
    build.mkdir(parents=True, exist_ok=False)
    with open(build / "chunks.jsonl", "w", encoding="utf-8") as out:
        for chunk in chunks:
            out.write(chunk_to_json(chunk) + "\n")
    np.save(build / "vectors.npy", vectors.astype(np.float32))
    faiss.write_index(dense, str(build / "dense.faiss"))
    lexical.save(str(build / "bm25"), show_progress=False)
    (build / "vocab.json").write_text(
        json.dumps(vocabulary.to_dict(), ensure_ascii=False), encoding="utf-8"
    )
    manifest.files = {
        path.relative_to(build).as_posix(): {
            "size": path.stat().st_size,
            "sha256": file_sha256(path),
        }
        for path in sorted(build.rglob("*"))
        if path.is_file()
    }
    tmp = build / "manifest.json.tmp"
    tmp.write_text(json.dumps(asdict(manifest), ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, build / "manifest.json")


def publish(index_dir: Path, build: Path) -> None:
    """Point CURRENT at a finished build atomically, then remove the builds no one uses."""
    tmp = index_dir / "CURRENT.tmp"
    tmp.write_text(build.name + "\n", encoding="utf-8")
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, index_dir / "CURRENT")
    for old in (index_dir / "builds").iterdir():
        if old != build:
            shutil.rmtree(old, ignore_errors=True)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def verify_files(build: Path, manifest: Manifest, names: tuple[str, ...] | None = None) -> None:
    """Raise IndexCorrupt unless each file (all, or `names`) has its recorded size and hash."""
    if not manifest.files:
        raise IndexCorrupt("manifest không ghi tệp nào của bản dựng")
    for name, recorded in manifest.files.items():
        if names is not None and name not in names:
            continue
        path = build / name
        if isinstance(recorded, int) and manifest.format < 5:  # sizes only, before hashes
            recorded = {"size": recorded}
        if not isinstance(recorded, dict) or path.stat().st_size != recorded.get("size"):
            raise IndexCorrupt(f"tệp {name} bị hỏng (sai kích thước)")
        if manifest.format >= 5 and file_sha256(path) != recorded.get("sha256"):
            raise IndexCorrupt(f"tệp {name} bị sửa hoặc hỏng (sai mã băm)")


def complete_builds(index_dir: Path) -> list[Path]:
    """Builds with a manifest (written last), newest first; the one CURRENT names leads."""
    builds = index_dir / "builds"
    try:
        found = [b for b in builds.iterdir() if (b / "manifest.json").is_file()]
    except OSError:
        return []
    found.sort(key=lambda b: b.name, reverse=True)  # names are UTC timestamps
    current = current_build(index_dir)
    if current in found:
        found.remove(current)
        found.insert(0, current)
    return found


def remove_incomplete(index_dir: Path) -> list[str]:
    """Delete builds a killed or failed build left without a manifest (call under the lock)."""
    removed = []
    builds = index_dir / "builds"
    if not builds.is_dir():
        return removed
    for build in builds.iterdir():
        if build.is_dir() and not (build / "manifest.json").exists():
            shutil.rmtree(build, ignore_errors=True)
            removed.append(build.name)
    return removed


def read_manifest(index_dir: Path) -> Manifest | None:
    build = current_build(index_dir)
    if build is None or not (build / "manifest.json").exists():
        return None
    try:
        return Manifest.read(build / "manifest.json")
    except IndexCorrupt:
        return None


def read_chunks(build: Path) -> tuple[list[Chunk], list[str]]:
    chunks, hashes = [], []
    with open(build / "chunks.jsonl", encoding="utf-8") as fh:
        for line in fh:
            chunk, digest = chunk_from_json(line)
            chunks.append(chunk)
            hashes.append(digest)
    return chunks, hashes


def load_index(index_dir: Path, encoder_id: str, dim: int) -> LoadedIndex:
    """Load the current build, or raise IndexCorrupt saying why it cannot serve."""
    build = current_build(index_dir)
    if build is None:
        raise IndexCorrupt("chưa có chỉ mục")
    return load_build(build, encoder_id, dim)


def load_build(build: Path, encoder_id: str, dim: int, *, older: bool = False) -> LoadedIndex:
    """Load one build after checking every file against the manifest's hashes.

    `older`: accept a build of an older format this code can still read (to serve it while
    it is rebuilt); otherwise only the current format loads.
    """
    manifest = Manifest.read(build / "manifest.json")
    if manifest.format != FORMAT_VERSION and not (older and manifest.format in SERVABLE_FORMATS):
        raise IndexCorrupt(f"định dạng chỉ mục {manifest.format}, cần {FORMAT_VERSION}")
    if manifest.encoder != encoder_id or manifest.dim != dim:
        raise IndexCorrupt(f"chỉ mục dựng bằng bộ mã hóa khác ({manifest.encoder})")
    try:
        verify_files(build, manifest)
        chunks, _ = read_chunks(build)
        dense = faiss.read_index(str(build / "dense.faiss"))
        lexical = bm25s.BM25.load(str(build / "bm25"), show_progress=False)
        vocabulary = Vocabulary.from_dict(
            json.loads((build / "vocab.json").read_text(encoding="utf-8"))
        )
    except IndexCorrupt:
        raise
    except Exception as exc:  # any damage (json, faiss, numpy) means: rebuild
        raise IndexCorrupt(f"chỉ mục hỏng: {type(exc).__name__}: {exc}") from exc
    if len(chunks) != manifest.chunks or dense.ntotal != manifest.chunks or dense.d != dim:
        raise IndexCorrupt("số đoạn trong chỉ mục không khớp manifest")
    return LoadedIndex(manifest, chunks, dense, lexical, vocabulary, lexical_idf(lexical), build)


def lexical_idf(lexical: bm25s.BM25) -> dict[str, float]:
    """Inverse document frequency of each token, read off the lexical index's columns."""
    indptr = np.asarray(lexical.scores["indptr"])
    n_docs = max(int(lexical.scores.get("num_docs", 1)), 1)
    df = np.diff(indptr)
    idf = np.log(1 + (n_docs - df + 0.5) / (df + 0.5))
    return {tok: float(idf[i]) for tok, i in lexical.vocab_dict.items() if i < len(idf)}
