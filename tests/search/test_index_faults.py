"""Faults around the index: unreadable files and folders, tampered builds, killed and failed
builds, a full disk — the last good build always serves."""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from bot.errors import BuildError, IndexCorrupt
from bot.search.build import build_index
from bot.search.encoders import HashEncoder
from bot.search.freshness import is_fresh
from bot.search.index import FORMAT_VERSION, current_build, load_index
from bot.search.knowledge_base import KnowledgeBase

ROOT = Path(__file__).resolve().parents[2]


class FailingEncoder(HashEncoder):
    """The hash encoder, failing while `fail` is set; `gate` (if any) holds each call."""

    def __init__(self, dim: int = 64) -> None:
        super().__init__(dim)
        self.fail = False
        self.gate: threading.Event | None = None
        self.entered = threading.Event()

    def passages(self, texts, progress=None):
        self.entered.set()
        if self.gate is not None:
            assert self.gate.wait(30)
        if self.fail:
            raise RuntimeError("mô hình hỏng")
        return super().passages(texts, progress)


def _drop_file_permission_override() -> None:
    # root reads any file (CAP_DAC_OVERRIDE): drop it so that chmod 000 means what it says
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def run_unprivileged(code: str, **limits) -> dict:
    """Run `code` (which prints one JSON line) where file permissions apply, even as root."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def prepare() -> None:
        if os.geteuid() == 0:
            _drop_file_permission_override()
        import resource

        for name, value in limits.items():
            resource.setrlimit(getattr(resource, name), (value, value))

    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env=env,
        capture_output=True,
        text=True,
        preexec_fn=prepare,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


BUILD = """
    import json, sys
    from pathlib import Path
    from bot.errors import BuildError
    from bot.search.build import build_index
    from bot.search.encoders import HashEncoder
    try:
        s = build_index(Path('{knowledge}'), Path('{index}'), HashEncoder(64))
        print(json.dumps({{"documents": s.documents,
                           "skipped": [[x.path, x.reason] for x in s.skipped]}}))
    except BuildError as exc:
        print(json.dumps({{"error": str(exc)}}))
"""


def test_an_unreadable_file_is_skipped_with_its_reason_and_the_rest_indexed(
    knowledge_dir, tmp_path
):
    secret = knowledge_dir / "mat.txt"
    secret.write_text("Văn bản không ai đọc được.", encoding="utf-8")
    secret.chmod(0)
    out = run_unprivileged(BUILD.format(knowledge=knowledge_dir, index=tmp_path / "i"))
    assert "error" not in out, out  # once: PermissionError failed the whole build
    assert out["documents"] == 1
    assert out["skipped"] == [
        ["mat.txt", "không có quyền đọc tệp (kiểm tra quyền truy cập của tệp)"]
    ]
    # made readable again (only ctime changes): the index is stale and picks it up
    secret.chmod(0o644)
    assert not is_fresh(knowledge_dir, tmp_path / "i", HashEncoder(64).id)
    assert build_index(knowledge_dir, tmp_path / "i", HashEncoder(64)).documents == 2


def test_an_unreadable_folder_is_reported(knowledge_dir, tmp_path):
    sub = knowledge_dir / "kin"
    sub.mkdir()
    (sub / "a.txt").write_text("Nội dung trong thư mục khóa.", encoding="utf-8")
    sub.chmod(0)
    try:
        out = run_unprivileged(
            BUILD.format(knowledge=str(knowledge_dir), index=str(tmp_path / "i"))
        )
    finally:
        sub.chmod(0o755)
    assert out["documents"] == 1
    assert [path for path, _ in out["skipped"]] == ["kin/"]
    assert "thư mục" in out["skipped"][0][1]
    assert not is_fresh(knowledge_dir, tmp_path / "i", HashEncoder(64).id)  # readable now


def test_a_same_size_edit_of_the_chunk_table_is_refused_and_rebuilt(knowledge_dir, tmp_path):
    index_dir = tmp_path / "index"
    enc = HashEncoder(64)
    build_index(knowledge_dir, index_dir, enc)
    table = current_build(index_dir) / "chunks.jsonl"
    text = table.read_text(encoding="utf-8")
    assert "XIV" in text
    table.write_text(text.replace("XIV", "XVI", 1), encoding="utf-8")  # same size
    with pytest.raises(IndexCorrupt, match="mã băm"):
        load_index(index_dir, enc.id, enc.dim)
    kb = KnowledgeBase(knowledge_dir, index_dir, enc)
    assert kb.open() is not None  # the CLI rebuilds it
    assert not any("XVI" in c.text for c in kb.index.chunks)


def test_a_tampered_vector_file_is_not_reused_by_the_next_build(knowledge_dir, tmp_path):
    index_dir = tmp_path / "index"
    build_index(knowledge_dir, index_dir, HashEncoder(64))
    vectors = current_build(index_dir) / "vectors.npy"
    data = bytearray(vectors.read_bytes())
    data[-8:] = bytes(b ^ 0xFF for b in data[-8:])
    vectors.write_bytes(bytes(data))
    summary = build_index(knowledge_dir, index_dir, HashEncoder(64), force=True)
    assert summary.embedded == summary.chunks


def test_a_build_killed_halfway_leaves_a_folder_the_next_build_removes(knowledge_dir, tmp_path):
    index_dir = tmp_path / "index"
    build_index(knowledge_dir, index_dir, HashEncoder(64))
    half = index_dir / "builds" / "29991231T000000000000"
    half.mkdir()
    (half / "chunks.jsonl").write_text('{"half": true}\n', encoding="utf-8")  # no manifest
    kb = KnowledgeBase(knowledge_dir, index_dir, HashEncoder(64))
    assert kb.serve_last_good() and kb.index.path == current_build(index_dir)
    build_index(knowledge_dir, index_dir, HashEncoder(64), force=True)
    assert not half.exists()


def test_a_full_disk_fails_the_build_removes_its_folder_and_keeps_the_old_one(
    knowledge_dir, tmp_path
):
    index_dir = tmp_path / "index"
    build_index(knowledge_dir, index_dir, HashEncoder(64))
    before = current_build(index_dir)
    (knowledge_dir / "moi.txt").write_text("Văn bản mới về phủ xanh.", encoding="utf-8")
    # a file-size limit below the chunk table: writing the new build fails like a full disk
    out = run_unprivileged(
        BUILD.format(knowledge=knowledge_dir, index=index_dir), RLIMIT_FSIZE=20_000
    )
    assert "error" in out and "File too large" in out["error"]
    assert current_build(index_dir) == before
    assert sorted(p.name for p in (index_dir / "builds").iterdir()) == [before.name]
    assert load_index(index_dir, HashEncoder(64).id, 64).chunks


def test_the_bot_serves_a_stale_index_at_once_and_swaps_in_the_rebuild(knowledge_dir, tmp_path):
    enc = FailingEncoder()
    index_dir = tmp_path / "index"
    build_index(knowledge_dir, index_dir, enc)
    (knowledge_dir / "moi.txt").write_text("Nội dung bổ sung về phủ xanh.", encoding="utf-8")
    enc.gate = threading.Event()
    enc.entered.clear()
    kb = KnowledgeBase(knowledge_dir, index_dir, enc)
    worker = threading.Thread(target=kb.serve_then_refresh)
    worker.start()
    try:
        assert enc.entered.wait(30)  # the rebuild is embedding the new file …
        assert kb.ready and kb.search("Ban Chỉ đạo 35").hits  # … and the old build answers
        assert kb.status()["building"]
    finally:
        enc.gate.set()
        worker.join(30)
    assert any("phủ xanh" in c.text for c in kb.index.chunks)
    assert kb.status()["last_error"] is None


def test_a_failed_rebuild_keeps_serving_reports_why_and_retries_on_the_next_change(
    knowledge_dir, tmp_path
):
    enc = FailingEncoder()
    index_dir = tmp_path / "index"
    build_index(knowledge_dir, index_dir, enc)
    (knowledge_dir / "moi.txt").write_text("Nội dung bổ sung về phủ xanh.", encoding="utf-8")
    enc.fail = True
    kb = KnowledgeBase(knowledge_dir, index_dir, enc)
    assert kb.serve_then_refresh() is None  # no exception: the bot keeps running
    assert kb.ready and kb.search("Ban Chỉ đạo 35").hits
    assert "mô hình hỏng" in kb.status()["last_error"]
    enc.fail = False
    assert kb.retry_if_changed() is None  # nothing changed yet: no retry
    (knowledge_dir / "moi.txt").write_text("Nội dung sửa lại về phủ xanh.", encoding="utf-8")
    summary = kb.retry_if_changed()
    assert summary is not None and kb.status()["last_error"] is None
    assert any("sửa lại" in c.text for c in kb.index.chunks)


def test_a_damaged_current_build_falls_back_to_a_complete_older_one(knowledge_dir, tmp_path):
    index_dir = tmp_path / "index"
    enc = FailingEncoder()
    build_index(knowledge_dir, index_dir, enc)
    good = current_build(index_dir)
    # a build a killed process finished but never published, and a damaged CURRENT
    spare = index_dir / "builds" / "19990101T000000000000"
    shutil.copytree(good, spare)
    (good / "dense.faiss").write_bytes(b"\x00garbage")
    (knowledge_dir / "moi.txt").write_text("Văn bản mới cần mã hóa.", encoding="utf-8")
    enc.fail = True  # and the rebuild fails too
    kb = KnowledgeBase(knowledge_dir, index_dir, enc)
    kb.serve_then_refresh()
    assert kb.ready and kb.index.path == spare
    assert kb.search("Ban Chỉ đạo 35").hits
    assert kb.status()["last_error"]


def test_the_cli_still_builds_first_when_there_is_no_index(knowledge_dir, tmp_path):
    kb = KnowledgeBase(knowledge_dir, tmp_path / "index", HashEncoder(64))
    assert not kb.serve_last_good()
    assert kb.open() is not None and kb.ready


def test_an_empty_knowledge_folder_is_a_failure_kept_not_raised(tmp_path):
    (tmp_path / "k").mkdir()
    kb = KnowledgeBase(tmp_path / "k", tmp_path / "index", HashEncoder(64))
    kb.serve_then_refresh()
    assert not kb.ready and "Không có đoạn văn" in kb.status()["last_error"]
    with pytest.raises(BuildError):
        kb.rebuild()


def test_a_retry_after_a_full_disk_encodes_nothing_again(knowledge_dir, tmp_path):
    index_dir = tmp_path / "index"
    build_index(knowledge_dir, index_dir, HashEncoder(64))
    (knowledge_dir / "moi.txt").write_text("Văn bản mới về phủ xanh.", encoding="utf-8")
    out = run_unprivileged(
        f"""
        import json, resource
        from pathlib import Path
        from bot.search.encoders import HashEncoder
        from bot.search.knowledge_base import KnowledgeBase

        class Counting(HashEncoder):
            calls = 0
            def passages(self, texts, progress=None):
                Counting.calls += len(texts)
                return super().passages(texts, progress)

        kb = KnowledgeBase(Path('{knowledge_dir}'), Path('{index_dir}'), Counting(64))
        kb.serve_last_good()
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, resource.RLIM_INFINITY))
        kb.serve_then_refresh()
        failed, first = kb.last_error, Counting.calls
        resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY,) * 2)
        kb.rebuild()
        print(json.dumps({{"failed": failed, "first": first, "retry": Counting.calls - first}}))
        """
    )
    assert "File too large" in out["failed"] and out["first"] > 0
    assert out["retry"] == 0


def test_a_build_another_process_published_is_followed(knowledge_dir, tmp_path):
    index_dir = tmp_path / "index"
    build_index(knowledge_dir, index_dir, HashEncoder(64))
    bot = KnowledgeBase(knowledge_dir, index_dir, HashEncoder(64))
    assert bot.serve_last_good() and not bot.follow_current()  # already serving it
    (knowledge_dir / "moi.txt").write_text("Nội dung bổ sung về phủ xanh.", encoding="utf-8")
    build_index(knowledge_dir, index_dir, HashEncoder(64))  # `reindex` in another process
    assert bot.follow_current()
    assert any("phủ xanh" in c.text for c in bot.index.chunks)


def test_a_build_of_the_previous_format_serves_until_its_rebuild_and_lends_its_vectors(
    knowledge_dir, tmp_path
):
    index_dir = tmp_path / "index"
    build_index(knowledge_dir, index_dir, HashEncoder(64))
    path = current_build(index_dir) / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    # format 4 as it was written: sizes without hashes
    manifest["format"] = 4
    manifest["files"] = {
        n: f["size"] for n, f in manifest["files"].items() if "/" not in n and n != "manifest.json"
    }
    path.write_text(json.dumps(manifest), encoding="utf-8")
    enc = FailingEncoder()
    enc.gate, enc.entered = threading.Event(), threading.Event()
    kb = KnowledgeBase(knowledge_dir, index_dir, enc)
    assert kb.serve_last_good() and kb.index.manifest.format == 4
    assert kb.search("Ban Chỉ đạo 35").hits  # answers from the old format at once
    summary = kb.serve_then_refresh()
    assert summary is not None and summary.embedded == 0  # every vector reused
    assert not enc.entered.is_set() and kb.index.manifest.format == FORMAT_VERSION
