"""What the command line prints while it works: progress bars on stderr, build summaries."""

from __future__ import annotations

import logging
import sys


def progress_bar():
    """A tqdm bar on stderr, one per stage, for long builds."""
    from tqdm import tqdm

    bars: dict[str, tqdm] = {}

    def report(stage: str, done: int, total: int) -> None:
        bar = bars.get(stage)
        if bar is None:
            bar = bars[stage] = tqdm(
                total=total,
                desc=stage,
                unit={"đọc tài liệu": "tệp", "ghi chỉ mục": "bước"}.get(stage, "đoạn"),
                file=sys.stderr,
                leave=True,
                dynamic_ncols=True,
            )
        bar.total = total
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    return report


def print_summary(summary, out=sys.stdout) -> None:
    if not summary.changed:
        print(
            f"Chỉ mục đã cập nhật, không có gì thay đổi: {summary.documents} tài liệu, "
            f"{summary.chunks} đoạn ({summary.seconds:.1f} giây).",
            file=out,
        )
    else:
        print(
            f"Đã lập chỉ mục {summary.documents} tài liệu, {summary.chunks} đoạn "
            f"({summary.embedded} đoạn mã hóa mới, {summary.chunks - summary.embedded} dùng lại)"
            f" trong {summary.seconds:.1f} giây.",
            file=out,
        )
    for skipped in summary.skipped:
        print(f"  Bỏ qua {skipped.path}: {skipped.reason}", file=out)


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
