"""What the command line prints while it works: progress bars on stderr, build summaries."""

from __future__ import annotations

import logging
import os
import sys
import time

from bot.text import thousands

# what a stage says when it starts, before its first step is done (a first build embeds for
# tens of seconds on two cores: silence there reads as a hang)
_STAGE_START = {
    "đọc tài liệu": "Đang đọc {total} tệp tài liệu…",
    "mã hóa": "Đang mã hóa {total} đoạn (lần đầu có thể mất vài chục giây)…",
    "ghi chỉ mục": "Đang ghi chỉ mục…",
}
_STAGE_UNIT = {"đọc tài liệu": "tệp", "ghi chỉ mục": "bước"}
_IMPORTED = time.monotonic()


def progress_bar(out=None):
    """Announce each build stage as it starts, then a tqdm bar for it on stderr."""
    from tqdm import tqdm

    out = out or sys.stderr
    bars: dict[str, tqdm] = {}

    def report(stage: str, done: int, total: int) -> None:
        bar = bars.get(stage)
        if bar is None:
            start = _STAGE_START.get(stage, "Đang " + stage + "…")
            print(start.format(total=thousands(total)), file=out, flush=True)
            bar = bars[stage] = tqdm(
                total=total,
                desc=stage,
                unit=_STAGE_UNIT.get(stage, "đoạn"),
                file=out,
                leave=True,
                dynamic_ncols=True,
            )
        bar.total = total
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    return report


def print_summary(summary, out=sys.stdout, seconds: float | None = None) -> None:
    """The build's outcome; `seconds` is the command's own elapsed time (model loading too)."""
    elapsed = f"{summary.seconds if seconds is None else seconds:.1f} giây"
    if not summary.changed:
        print(
            f"Chỉ mục đã cập nhật, không có gì thay đổi: {summary.documents} tài liệu, "
            f"{summary.chunks} đoạn ({elapsed}).",
            file=out,
        )
    else:
        print(
            f"Đã lập chỉ mục {summary.documents} tài liệu, {summary.chunks} đoạn "
            f"({summary.embedded} đoạn mã hóa mới, {summary.chunks - summary.embedded} dùng lại)"
            f" trong {elapsed}.",
            file=out,
        )
    for skipped in summary.skipped:
        print(f"  Bỏ qua {skipped.path}: {skipped.reason}", file=out)


def since_process_start() -> float:
    """Seconds since this process started: what the operator waited, imports and model too."""
    try:
        with open("/proc/self/stat", encoding="ascii") as fh:
            # field 22 (starttime, clock ticks since boot); the command name may hold spaces
            started = int(fh.read().rsplit(")", 1)[1].split()[19]) / os.sysconf("SC_CLK_TCK")
        with open("/proc/uptime", encoding="ascii") as fh:
            return max(0.0, float(fh.read().split()[0]) - started)
    except (OSError, ValueError, IndexError):  # not Linux: from this module's import
        return time.monotonic() - _IMPORTED


def open_with_progress(kb):
    """Open a knowledge base (building it if needed, with progress); the summary to stderr."""
    summary = kb.open(progress_bar())
    if summary is not None:
        print_summary(summary, out=sys.stderr)
    return kb


def configure_logging(level: int = logging.INFO) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every build at DEBUG
    # httpx logs request URLs at INFO, and a Telegram URL contains the bot token
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    # alembic narrates every connection at INFO; bot.migrations logs the change itself
    logging.getLogger("alembic").setLevel(logging.WARNING)
