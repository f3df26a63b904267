"""Parse and chunk knowledge files in a child process that a hostile document cannot escape.

The bot (or the CLI) never runs a parser itself: `ParseSandbox.parse` sends a path to one
long-lived worker (`python -m bot.knowledge.sandbox`, reused across the files of a build, so
a build pays one interpreter start) and waits for its passages with a deadline. The worker
runs under an address-space limit (RLIMIT_AS) and checks `limits.check_before_parsing`
first. A file that times out, exhausts memory, crashes the worker or answers too much is
skipped with a Vietnamese reason, the worker is killed and the next file gets a fresh one.

Wire format, both ways: 8-byte big-endian length, then a pickle. Requests are
`(path, root)`; replies are `("ok", [Chunk, …])`, `("skip", reason)`, or `("exit", reason)`
when the worker ran out of memory and exits after answering.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from bot.knowledge.chunking import Chunk, chunk_document
from bot.knowledge.document import SkippedFile, relative_name
from bot.knowledge.limits import MB, ParseLimits, check_before_parsing

log = logging.getLogger(__name__)

_HEADER = struct.Struct(">Q")
_READY = b"ready"
_START_SECONDS = 60.0  # an interpreter start on a loaded machine; not part of a file's time
_PARSERS = {".docx": "docx", ".pdf": "pypdf", ".html": "bs4", ".htm": "bs4"}
_MEMORY_REASON = "tệp cần quá nhiều bộ nhớ để đọc (vượt giới hạn {mb:.0f} MB), đã bỏ qua"


@dataclass(frozen=True)
class ParsedFile:
    """The passages of one knowledge file, chunked in the sandbox, and what it says of itself
    (title, kind, date, source, approved_by: the console lists documents with them)."""

    path: str
    chunks: list[Chunk]
    about: dict[str, str] = field(default_factory=dict)


class ParseSandbox:
    """One worker process at a time, started on first use, replaced after any failure."""

    def __init__(
        self, limits: ParseLimits | None = None, suffixes: frozenset[str] | None = None
    ) -> None:
        """`suffixes`: the kinds of file to come, so the worker imports only their parsers."""
        self.limits = limits or ParseLimits()
        self._parsers = sorted(
            {_PARSERS[s] for s in (suffixes if suffixes is not None else _PARSERS) if s in _PARSERS}
        )
        self._proc: subprocess.Popen | None = None

    def __enter__(self) -> ParseSandbox:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def parse(self, path: Path, root: Path) -> ParsedFile | SkippedFile:
        """Chunks of `path`, or the reason it is skipped; never raises for the file's content."""
        rel = relative_name(path, root)
        try:
            reply = self._ask(str(path), str(root))
        except _WorkerFailed as failure:
            self._kill()
            return SkippedFile(rel, str(failure))
        if reply[0] == "ok":
            return ParsedFile(rel, reply[1], reply[2])
        if reply[0] == "exit":  # the worker ran out of memory and is leaving: do not reuse it
            self._kill()
        return SkippedFile(rel, reply[1])

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        try:
            proc.stdin.close()  # the worker exits at end of input
            proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()
            proc.wait()
        proc.stdout.close()

    # -- the parent side ---------------------------------------------------------------------

    def _worker(self) -> subprocess.Popen:
        if self._proc is None or self._proc.poll() is not None:
            # no settings (the bot token among them): the worker needs none
            env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
            env.update(OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
            self._proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "bot.knowledge.sandbox",
                    _limits_json(self.limits),
                    ",".join(self._parsers),
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env=env,
                start_new_session=True,  # a signal to the bot's terminal is not its business
            )
            # wait for its imports here, so that a file's time limit counts parsing only
            deadline = time.monotonic() + _START_SECONDS
            if _read_exact(self._proc.stdout.fileno(), len(_READY), deadline, self, self._proc) != (
                _READY
            ):
                raise _WorkerFailed("tiến trình đọc tài liệu không khởi động được")
        return self._proc

    def _ask(self, path: str, root: str) -> tuple:
        proc = self._worker()
        deadline = time.monotonic() + self.limits.seconds
        try:
            _write_frame(proc.stdin, pickle.dumps((path, root)))
        except OSError as exc:
            raise _WorkerFailed(f"không khởi động được tiến trình đọc tài liệu: {exc}") from exc
        fd = proc.stdout.fileno()
        (size,) = _HEADER.unpack(_read_exact(fd, _HEADER.size, deadline, self, proc))
        if size > self.limits.max_output_bytes:
            raise _WorkerFailed(
                f"tệp cho ra quá nhiều văn bản ({size / MB:.0f} MB, "
                f"giới hạn {self.limits.max_output_bytes / MB:.0f} MB), đã bỏ qua"
            )
        return pickle.loads(_read_exact(fd, size, deadline, self, proc))

    def _kill(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        for pipe in (proc.stdin, proc.stdout):
            with contextlib.suppress(OSError):  # a broken pipe to a dead worker
                pipe.close()


class _WorkerFailed(Exception):
    """The worker gave no usable answer; the message is the Vietnamese reason."""


def _limits_json(limits: ParseLimits) -> str:
    return json.dumps(dataclasses.asdict(limits))


def _read_exact(fd: int, n: int, deadline: float, box: ParseSandbox, proc) -> bytes:
    parts, left = [], n
    while left:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise _WorkerFailed(
                f"đọc tệp quá {box.limits.seconds:.0f} giây (vượt giới hạn thời gian), đã bỏ qua"
            )
        ready, _, _ = select.select([fd], [], [], remaining)
        if not ready:
            continue
        block = os.read(fd, min(left, 1 << 20))
        if not block:
            raise _WorkerFailed(_death_reason(proc, box.limits))
        parts.append(block)
        left -= len(block)
    return b"".join(parts)


def _death_reason(proc, limits: ParseLimits) -> str:
    try:
        code = proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        code = None
    if code == _EXIT_MEMORY or code == -signal.SIGKILL:  # SIGKILL: the kernel's OOM killer
        return _MEMORY_REASON.format(mb=limits.memory_bytes / MB)
    if code == -signal.SIGXCPU:
        return f"đọc tệp quá {limits.seconds:.0f} giây (vượt giới hạn thời gian), đã bỏ qua"
    return f"tiến trình đọc tài liệu dừng bất thường (mã {code}), đã bỏ qua tệp"


def _write_frame(out: BinaryIO, payload: bytes) -> None:
    out.write(_HEADER.pack(len(payload)) + payload)
    out.flush()


# -- the worker side ---------------------------------------------------------------------------

_EXIT_MEMORY = 3


def _parse(path: Path, root: Path, limits: ParseLimits) -> tuple:
    from bot.knowledge import loaders

    try:
        check_before_parsing(path, limits)
        document = loaders.load_document(path, root)
        if len(document.text) > limits.max_text_chars:
            chars = f"{len(document.text):,}".replace(",", ".")
            return "skip", f"tệp có quá nhiều chữ ({chars} ký tự), vượt giới hạn"
        about = {
            "title": document.title,
            "kind": document.kind,
            "date": document.date,
            "source": document.source,
            "approved_by": document.approved_by,
        }
        return "ok", chunk_document(document), about
    except MemoryError:
        raise
    except PermissionError:
        return "skip", "không có quyền đọc tệp (kiểm tra quyền truy cập của tệp)"
    except RecursionError:
        return "skip", "cấu trúc tệp lồng nhau quá sâu, không đọc được"
    except Exception as exc:  # one bad file is reported, never fatal
        # the loaders' reason wording, so a skipped file reads the same as it always did
        return "skip", loaders._reason(path, exc)


def _serve(limits: ParseLimits, parsers: list[str]) -> int:
    import importlib
    import resource

    from bot.knowledge import loaders  # noqa: F401

    # the parsers the build needs, imported before any file is read: not a file's time
    for module in parsers:
        importlib.import_module(module)

    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    # the protocol owns the real stdout; a library that prints writes to stderr instead
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    out.write(_READY)
    out.flush()
    source = sys.stdin.buffer
    while header := source.read(_HEADER.size):
        (size,) = _HEADER.unpack(header)
        path, root = pickle.loads(source.read(size))
        # a CPU limit per file as well: a worker whose parent died (kill -9) still stops
        used = resource.getrusage(resource.RUSAGE_SELF)
        budget = int(used.ru_utime + used.ru_stime + 2 * limits.seconds) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (budget, resource.RLIM_INFINITY))
        try:
            reply = _parse(Path(path), Path(root), limits)
            payload = pickle.dumps(reply)
        except MemoryError:
            payload = None
        if payload is None:
            # the heap may be in pieces: answer with bytes set aside, let a fresh worker go on
            _write_frame(out, _MEMORY_REPLY)
            return _EXIT_MEMORY
        _write_frame(out, payload)
    return 0


if __name__ == "__main__":
    _limits = ParseLimits(**json.loads(sys.argv[1]))
    _MEMORY_REPLY = pickle.dumps(("exit", _MEMORY_REASON.format(mb=_limits.memory_bytes / MB)))
    sys.exit(_serve(_limits, [m for m in sys.argv[2].split(",") if m]))
