"""Hostile documents are parsed in a bounded child process and skipped with a Vietnamese reason."""

from __future__ import annotations

import os
import time
from pathlib import Path

import bombs
import pytest

from bot.knowledge.document import SkippedFile
from bot.knowledge.limits import ParseLimits
from bot.knowledge.sandbox import ParsedFile, ParseSandbox
from bot.search.build import build_index
from bot.search.encoders import HashEncoder


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "docs"
    target.mkdir()
    bombs.paragraphs(target / "binh-thuong.docx", ["Chi bộ sinh hoạt vào ngày 05 hằng tháng."])
    return target


def parse_all(folder: Path, limits: ParseLimits | None = None) -> dict[str, object]:
    with ParseSandbox(limits) as sandbox:
        return {p.name: sandbox.parse(p, folder) for p in sorted(folder.iterdir())}


def skipped_reason(result: object) -> str:
    assert isinstance(result, SkippedFile), result
    return result.reason


@pytest.mark.parametrize("count", [100_000, 1_000_000])
def test_a_tiny_docx_of_countless_empty_paragraphs_is_refused_before_parsing(folder, count):
    bomb = bombs.empty_paragraphs(folder / "bom.docx", count)
    assert bomb.stat().st_size < 20_000
    started = time.monotonic()
    results = parse_all(folder)
    assert time.monotonic() - started < 60  # 170k paragraphs once took 402 s in-process
    assert "đoạn văn" in skipped_reason(results["bom.docx"])
    assert isinstance(results["binh-thuong.docx"], ParsedFile)  # the sandbox carries on


def test_a_docx_whose_xml_inflates_to_a_gigabyte_is_refused_unread(folder):
    bombs.inflating_xml(folder / "bom.docx", 1000)
    reason = skipped_reason(parse_all(folder)["bom.docx"])
    assert "giải nén ra 1000 MB" in reason


def test_a_pdf_of_ten_thousand_pages_is_refused(folder):
    bombs.many_pages_pdf(folder / "dai.pdf", 10_000)
    assert "10000 trang" in skipped_reason(parse_all(folder)["dai.pdf"])


def test_deeply_nested_html_is_refused(folder):
    bombs.nested_html(folder / "sau.html", 100_000)
    assert "lồng nhau quá sâu" in skipped_reason(parse_all(folder)["sau.html"])


def test_a_parse_that_outlives_its_time_is_killed_and_the_next_file_still_parses(folder):
    # under the paragraph limit given here, python-docx needs seconds for this file
    bombs.empty_paragraphs(folder / "cham.docx", 200_000)
    limits = ParseLimits(seconds=1.0, max_paragraphs=10**7)
    results = parse_all(folder, limits)
    assert "giới hạn thời gian" in skipped_reason(results["cham.docx"])
    assert isinstance(results["binh-thuong.docx"], ParsedFile)


def test_a_parse_that_needs_too_much_memory_is_stopped_and_the_next_file_still_parses(folder):
    text = ("Câu văn bình thường về công tác Đảng. " * 20 + "\n\n") * 10_000  # 10 MB
    (folder / "a-lon.txt").write_text(text, encoding="utf-8")
    results = parse_all(folder, ParseLimits(memory_bytes=150_000_000))
    assert "bộ nhớ" in skipped_reason(results["a-lon.txt"])
    assert isinstance(results["binh-thuong.docx"], ParsedFile)


def test_an_answer_larger_than_the_output_limit_is_refused(folder):
    (folder / "dai.txt").write_text("Đoạn văn bản dài.\n\n" * 5_000, encoding="utf-8")
    results = parse_all(folder, ParseLimits(max_output_bytes=10_000))
    assert "quá nhiều văn bản" in skipped_reason(results["dai.txt"])


def test_a_build_over_bombs_indexes_the_rest_and_reports_each_bomb(folder, tmp_path):
    bombs.empty_paragraphs(folder / "bom-doan.docx", 1_000_000)
    bombs.inflating_xml(folder / "bom-xml.docx", 300)
    bombs.nested_html(folder / "sau.html", 50_000)
    summary = build_index(folder, tmp_path / "index", HashEncoder(64))
    assert summary.documents == 1
    assert sorted(s.path for s in summary.skipped) == ["bom-doan.docx", "bom-xml.docx", "sau.html"]


def test_the_parser_never_runs_in_the_calling_process(folder):
    with ParseSandbox() as sandbox:
        sandbox.parse(folder / "binh-thuong.docx", folder)
        worker = sandbox._proc
        assert worker is not None and worker.pid != os.getpid()
        assert worker.poll() is None  # one worker, reused for the next file
        sandbox.parse(folder / "binh-thuong.docx", folder)
        assert sandbox._proc is worker
    assert worker.poll() is not None  # and gone with the sandbox


def test_a_worker_left_alone_mid_parse_stops_at_its_cpu_limit(folder):
    # what remains of a parse when the bot is killed -9: nobody reads or kills the worker
    import pickle
    import signal
    import subprocess
    import sys

    from bot.knowledge import sandbox

    slow = bombs.empty_paragraphs(folder / "cham.docx", 2_000_000)
    limits = ParseLimits(seconds=0.5, max_paragraphs=10**8, max_unpacked_bytes=10**10)
    worker = subprocess.Popen(
        [sys.executable, "-m", "bot.knowledge.sandbox", sandbox._limits_json(limits), "docx"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
    )
    with worker.stdin:
        sandbox._write_frame(worker.stdin, pickle.dumps((str(slow), str(folder))))
        assert worker.wait(timeout=120) == -signal.SIGXCPU
