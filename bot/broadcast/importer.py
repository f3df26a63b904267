"""Import a month's content calendar (CSV or YAML from a spreadsheet): all rows or none.

Columns (headers with or without diacritics, any case): `noi_dung` (Telegram HTML, required);
either `lich` (a schedule as moderators type it, "7:30 hằng ngày") or `ngay` + `gio`
("25/12/2026", "20:00"); optional `nhom` (tất cả | #nhãn … | mã nhóm), `tuy_chon` (ghim,
im lặng), `nut` ("[Tên](https://…)" per line), `anh` / `tep` (file id or URL), `nguon`.
Every row is checked before anything is stored; the error lists every bad row by number.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import yaml

from bot.broadcast import BroadcastError, approval, schedules
from bot.broadcast.approval import Actor
from bot.broadcast.posts import PostContent, parse_buttons
from bot.broadcast.recurrence import Recurrence
from bot.broadcast.targets import parse_targets
from bot.broadcast.timeparse import ScheduleError, parse_schedule
from bot.chat import Attachment
from bot.store import Store
from bot.text import fold

COLUMNS = {"noi_dung", "lich", "ngay", "gio", "nhom", "tuy_chon", "nut", "anh", "tep", "nguon"}
_SILENT = ("im lang", "khong chuong", "silent")


@dataclass(frozen=True)
class Row:
    """One calendar entry, checked and ready to store."""

    number: int
    content: PostContent
    recurrence: Recurrence
    targets: schedules.Targets
    silent: bool
    pin: bool
    source: str


def _key(header: str) -> str:
    return "_".join(fold(str(header).lower()).replace("_", " ").split())


def read_text(path: Path) -> str:
    """The file's text: UTF-8 (with or without Excel's BOM), UTF-16 with a BOM, or the
    Windows-1258 that Excel writes for Vietnamese "CSV" when UTF-8 cannot be it."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise BroadcastError(f"Không tìm thấy tệp «{path}».") from None
    except IsADirectoryError:
        raise BroadcastError(f"«{path}» là thư mục, không phải tệp.") from None
    except OSError as exc:
        raise BroadcastError(f"Không đọc được tệp «{path}»: {exc.strerror}.") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:  # Windows-1258 writes tone marks as combining characters: NFC joins them
        return unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError:
        raise BroadcastError(
            f"Tệp «{path.name}» không phải văn bản UTF-8 hay Windows-1258: "
            "trong Excel chọn Lưu thành «CSV UTF-8»."
        ) from None


def read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(row number as the spreadsheet shows it, cells by column key)."""
    raw = read_text(path)
    if not raw.strip():
        raise BroadcastError(f"Tệp «{path.name}» trống.")
    if path.suffix.lower() in (".yaml", ".yml"):
        data = yaml.safe_load(raw) or []
        if isinstance(data, dict):  # "bai_viet: [...]" or similar single key
            data = next(iter(data.values()), [])
        if not isinstance(data, list) or not all(isinstance(d, dict) for d in data):
            raise BroadcastError("Tệp YAML phải là một danh sách các mục (mỗi mục một bài).")
        return [
            (n, {_key(k): "" if v is None else str(v) for k, v in item.items()})
            for n, item in enumerate(data, start=1)
        ]
    if path.suffix.lower() != ".csv":
        raise BroadcastError("Chỉ nhận tệp .csv, .yaml hoặc .yml.")
    try:
        dialect = csv.Sniffer().sniff(raw.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(raw), dialect=dialect)
    rows = []
    for record in reader:
        cells = {_key(k): (v or "").strip() for k, v in record.items() if k is not None}
        if any(cells.values()):
            rows.append((reader.line_num, cells))
    return rows


def _check(session, number: int, cells: dict[str, str], now: datetime, tz: str) -> Row:
    unknown = sorted(set(cells) - COLUMNS)
    if unknown:
        raise BroadcastError("cột không rõ: " + ", ".join(unknown))
    attachment = None
    if cells.get("anh") or cells.get("tep"):
        kind = "photo" if cells.get("anh") else "document"
        attachment = Attachment(kind, cells.get("anh") or cells["tep"])
    content = PostContent(cells.get("noi_dung", "").strip(), parse_buttons(cells.get("nut", "")))
    content = PostContent(content.text, content.buttons, attachment)
    if problems := content.problems():
        raise BroadcastError("; ".join(problems))
    when = cells.get("lich") or f"{cells.get('gio', '')} {cells.get('ngay', '')}".strip()
    if not when:
        raise BroadcastError("thiếu lịch (cột «lich», hoặc «ngay» và «gio»)")
    try:
        recurrence = parse_schedule(when, now, tz)
    except ScheduleError as exc:
        raise BroadcastError(f"lịch «{when}»: {exc.reason}") from None
    targets = parse_targets(session, cells.get("nhom", ""))
    options = fold(cells.get("tuy_chon", "").lower())
    rest = options.replace(",", " ")
    for word in (*_SILENT, "ghim", "pin", "va"):
        rest = rest.replace(word, " ")
    if rest.strip():
        raise BroadcastError(f"tùy chọn «{cells['tuy_chon']}» không rõ (dùng «ghim», «im lặng»)")
    return Row(
        number,
        content,
        recurrence,
        targets,
        silent=any(w in options for w in _SILENT),
        pin="ghim" in options or "pin" in options,
        source=cells.get("nguon", ""),
    )


def import_calendar(
    store: Store, path: Path, actor: Actor, now: datetime, tz: str, approval_required: bool
) -> list[tuple[int, int]]:
    """Store every row as a post and its schedule; BroadcastError (nothing stored) if any is bad."""
    rows = read_rows(path)
    if not rows:
        raise BroadcastError(f"Tệp {path.name} không có dòng nào.")
    label = "Mục" if path.suffix.lower() in (".yaml", ".yml") else "Dòng"
    with store.session() as session:
        checked, errors = [], []
        for number, cells in rows:
            try:
                checked.append(_check(session, number, cells, now, tz))
            except BroadcastError as exc:
                errors.append(f"{label} {number}: {exc}")
        if errors:
            raise BroadcastError(
                f"Không nhập gì cả: {len(errors)}/{len(rows)} dòng có lỗi.\n" + "\n".join(errors)
            )
        made = []
        for row in checked:
            post = approval.compose(session, row.content, actor, approval_required, row.source)
            schedule = schedules.create(
                session,
                post,
                row.recurrence,
                row.targets,
                actor,
                now,
                silent=row.silent,
                pin=row.pin,
            )
            made.append((post.id, schedule.id))
    return made
