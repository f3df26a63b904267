"""Index life-cycle: build, reuse embeddings, atomic swap, corruption and foreign indexes."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np
import pytest

from bot.errors import BuildError, BuildInProgress
from bot.search.build import build_index, build_lock
from bot.search.encoders import HashEncoder
from bot.search.freshness import is_fresh
from bot.search.index import current_build, load_index
from bot.search.knowledge_base import KnowledgeBase


class CountingEncoder(HashEncoder):
    """The hash encoder, counting every passage it is asked to embed."""

    def __init__(self, dim: int = 64, fail: bool = False) -> None:
        super().__init__(dim)
        self.embedded = 0
        self.fail = fail

    def passages(self, texts, progress=None):
        if self.fail:
            raise RuntimeError("mô hình hỏng")
        self.embedded += len(texts)
        return super().passages(texts, progress)


def kb_for(knowledge_dir: Path, index_dir: Path, encoder) -> KnowledgeBase:
    return KnowledgeBase(knowledge_dir, index_dir, encoder)


def test_first_build_writes_a_complete_build_and_manifest(knowledge_dir, tmp_path) -> None:
    enc = CountingEncoder()
    summary = build_index(knowledge_dir, tmp_path / "index", enc)
    assert summary.documents == 1 and summary.chunks > 20 and summary.embedded == summary.chunks
    build = current_build(tmp_path / "index")
    manifest = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["encoder"] == enc.id and manifest["dim"] == 64
    doc = manifest["documents"]["ke-hoach-10-KH-DUK-tuyen-truyen-dai-hoi-XIV.md"]
    assert len(doc["sha256"]) == 64
    assert {"chunks.jsonl", "vectors.npy", "dense.faiss", "vocab.json"} <= set(manifest["files"])


def test_unchanged_reindex_embeds_nothing_and_keeps_the_build(knowledge_dir, tmp_path) -> None:
    enc = CountingEncoder()
    build_index(knowledge_dir, tmp_path / "index", enc)
    before = current_build(tmp_path / "index")
    enc.embedded = 0
    summary = build_index(knowledge_dir, tmp_path / "index", enc)
    assert not summary.changed and enc.embedded == 0
    assert current_build(tmp_path / "index") == before


def test_forced_rebuild_reuses_every_vector(knowledge_dir, tmp_path) -> None:
    enc = CountingEncoder()
    build_index(knowledge_dir, tmp_path / "index", enc)
    enc.embedded = 0
    summary = build_index(knowledge_dir, tmp_path / "index", enc, force=True)
    assert summary.changed and summary.embedded == 0 and enc.embedded == 0


def test_a_new_document_embeds_only_its_own_chunks(knowledge_dir, tmp_path) -> None:
    enc = CountingEncoder()
    first = build_index(knowledge_dir, tmp_path / "index", enc)
    (knowledge_dir / "tin-moi.txt").write_text(
        "THÔNG BÁO\n\nChi bộ sinh hoạt chuyên đề vào ngày 05 hằng tháng.", encoding="utf-8"
    )
    enc.embedded = 0
    second = build_index(knowledge_dir, tmp_path / "index", enc)
    assert second.documents == 2
    assert second.embedded == enc.embedded == second.chunks - first.chunks


def test_loading_an_up_to_date_index_embeds_nothing(knowledge_dir, tmp_path) -> None:
    enc = CountingEncoder()
    kb_for(knowledge_dir, tmp_path / "index", enc).open()
    enc.embedded = 0
    again = kb_for(knowledge_dir, tmp_path / "index", enc)
    assert again.open() is None and enc.embedded == 0
    assert again.search("Ban Chỉ đạo 35").hits


def test_corrupted_index_is_detected_and_rebuilt(knowledge_dir, tmp_path) -> None:
    enc = CountingEncoder()
    kb_for(knowledge_dir, tmp_path / "index", enc).open()
    build = current_build(tmp_path / "index")
    (build / "dense.faiss").write_bytes(b"\x00garbage")
    again = kb_for(knowledge_dir, tmp_path / "index", enc)
    summary = again.open()
    assert summary is not None and summary.changed
    assert again.search("Ban Chỉ đạo 35").hits


def test_truncated_chunk_table_is_detected(knowledge_dir, tmp_path) -> None:
    enc = CountingEncoder()
    kb_for(knowledge_dir, tmp_path / "index", enc).open()
    build = current_build(tmp_path / "index")
    lines = (build / "chunks.jsonl").read_text(encoding="utf-8").splitlines()
    (build / "chunks.jsonl").write_text("\n".join(lines[:-3]) + "\n", encoding="utf-8")
    again = kb_for(knowledge_dir, tmp_path / "index", enc)
    assert again.open() is not None  # rebuilt
    assert len(again.index.chunks) == len(lines)


def test_index_from_another_encoder_is_foreign_and_rebuilt(knowledge_dir, tmp_path) -> None:
    kb_for(knowledge_dir, tmp_path / "index", CountingEncoder(dim=64)).open()
    other = CountingEncoder(dim=32)
    kb = kb_for(knowledge_dir, tmp_path / "index", other)
    summary = kb.open()
    assert summary is not None and other.embedded == summary.chunks
    assert kb.index.manifest.dim == 32


def test_garbage_manifest_pointer_is_rebuilt(knowledge_dir, tmp_path) -> None:
    index_dir = tmp_path / "index"
    index_dir.mkdir()
    (index_dir / "CURRENT").write_text("../../etc", encoding="utf-8")
    kb = kb_for(knowledge_dir, index_dir, CountingEncoder())
    assert kb.open() is not None and kb.ready


def test_failed_build_leaves_the_old_index_serving(knowledge_dir, tmp_path) -> None:
    good = CountingEncoder()
    kb = kb_for(knowledge_dir, tmp_path / "index", good)
    kb.open()
    before = current_build(tmp_path / "index")
    (knowledge_dir / "moi.txt").write_text(
        "Văn bản mới về công tác tuyên truyền.", encoding="utf-8"
    )
    good.fail = True
    with pytest.raises(BuildError, match="mô hình hỏng"):
        kb.rebuild()
    assert current_build(tmp_path / "index") == before
    assert kb.search("Ban Chỉ đạo 35").hits  # still the old index
    good.fail = False
    kb.rebuild()
    assert current_build(tmp_path / "index") != before


def test_searches_keep_working_while_a_rebuild_runs(knowledge_dir, tmp_path) -> None:
    gate = threading.Event()
    release = threading.Event()

    class SlowEncoder(CountingEncoder):
        def passages(self, texts, progress=None):
            gate.set()
            release.wait(10)
            return super().passages(texts, progress)

    kb = kb_for(knowledge_dir, tmp_path / "index", CountingEncoder())
    kb.open()
    kb.encoder = SlowEncoder()  # same id: the forced rebuild re-embeds only the new file
    (knowledge_dir / "moi.txt").write_text("Nội dung bổ sung về phủ xanh.", encoding="utf-8")
    worker = threading.Thread(target=kb.rebuild)
    worker.start()
    assert gate.wait(10)
    assert kb.building
    with pytest.raises(BuildInProgress):
        kb.rebuild()
    assert kb.search("Ban Chỉ đạo 35").hits  # served from the old index meanwhile
    release.set()
    worker.join(10)
    assert not kb.building
    assert any("phủ xanh" in c.text for c in kb.index.chunks)


def test_one_build_at_a_time_across_processes(tmp_path) -> None:
    with build_lock(tmp_path), pytest.raises(BuildInProgress), build_lock(tmp_path):
        pass


def test_broken_file_is_skipped_and_reported_the_rest_indexed(knowledge_dir, tmp_path) -> None:
    (knowledge_dir / "hong.docx").write_bytes(b"PK\x03\x04 not really a docx")
    summary = build_index(knowledge_dir, tmp_path / "index", CountingEncoder())
    assert summary.documents == 1
    assert [s.path for s in summary.skipped] == ["hong.docx"]
    assert summary.skipped[0].reason


def test_empty_knowledge_dir_is_a_clear_build_error(tmp_path) -> None:
    (tmp_path / "k").mkdir()
    with pytest.raises(BuildError, match="Không có đoạn văn"):
        build_index(tmp_path / "k", tmp_path / "index", CountingEncoder())


def test_freshness_notices_an_edit(knowledge_dir, tmp_path) -> None:
    enc = CountingEncoder()
    build_index(knowledge_dir, tmp_path / "index", enc)
    assert is_fresh(knowledge_dir, tmp_path / "index", enc.id)
    doc = next(knowledge_dir.glob("*.md"))
    doc.write_text(doc.read_text(encoding="utf-8") + "\n\nĐoạn mới.", encoding="utf-8")
    assert not is_fresh(knowledge_dir, tmp_path / "index", enc.id)


def test_loaded_vectors_match_what_was_embedded(knowledge_dir, tmp_path) -> None:
    enc = CountingEncoder()
    build_index(knowledge_dir, tmp_path / "index", enc)
    loaded = load_index(tmp_path / "index", enc.id, enc.dim)
    first = loaded.chunks[0]
    from bot.knowledge.chunking import embedding_text

    expected = enc.passages([embedding_text(first)])[0]
    assert np.allclose(loaded.dense.reconstruct(0), expected)


def test_an_index_of_an_older_format_is_rebuilt_reusing_vectors(knowledge_dir, tmp_path) -> None:
    enc = CountingEncoder()
    build_index(knowledge_dir, tmp_path / "index", enc)
    manifest_path = current_build(tmp_path / "index") / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["format"] -= 1
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    assert not is_fresh(knowledge_dir, tmp_path / "index", enc.id)
    enc.embedded = 0
    kb = kb_for(knowledge_dir, tmp_path / "index", enc)
    assert kb.open() is not None and enc.embedded == 0


def test_large_bases_use_hnsw_and_still_find_the_passage(knowledge_dir, tmp_path) -> None:
    kb = KnowledgeBase(knowledge_dir, tmp_path / "index", CountingEncoder(), hnsw_threshold=5)
    kb.open()
    assert kb.index.manifest.dense == "hnsw"
    hit = kb.search("Ban Chỉ đạo 35 của Đảng ủy Khối").hits[0]
    assert "Ban Chỉ đạo 35" in hit.chunk.text
