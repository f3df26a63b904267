"""The knowledge base as the console lists it: each document with what it says of itself
(title, kind, date, source, approver), its passages, when it was indexed, and whether the
files on disk have moved on since the build that serves (a rebuild is then due)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.search.freshness import fingerprint
from bot.search.knowledge_base import KnowledgeBase

KINDS_VI = {
    "plan": "kế hoạch",
    "speech": "bài phát biểu",
    "article": "bài viết",
    "post": "bài đăng",
}


@dataclass(frozen=True)
class DocumentRow:
    path: str
    title: str
    kind: str
    date: str
    source: str
    approved_by: str
    passages: int
    indexed_at: str
    state: str  # "" when the index serves this file as it is; else what is pending
    skipped: str  # why the last build could not read it


@dataclass(frozen=True)
class Library:
    rows: tuple[DocumentRow, ...]
    built_at: str
    passages: int
    pending: int  # files added, changed or removed since the build that serves


def _local(stamp: str, zone: ZoneInfo) -> str:
    try:
        return dt.datetime.fromisoformat(stamp).astimezone(zone).strftime("%H:%M %d/%m/%Y")
    except (TypeError, ValueError):
        return ""


def read(knowledge: KnowledgeBase, tz: str) -> Library:
    """Blocking (stats every knowledge file): run it off the event loop."""
    zone = ZoneInfo(tz)
    index = knowledge.index
    manifest = index.manifest if index is not None else None
    known = manifest.documents if manifest is not None else {}
    skipped = {s["path"]: s["reason"] for s in (manifest.skipped if manifest else [])}
    on_disk = fingerprint(knowledge.knowledge_dir)
    rows = []
    for path in sorted(set(known) | set(on_disk)):
        entry, now = known.get(path, {}), on_disk.get(path)
        if entry.get("folder") or (now or {}).get("folder"):
            continue
        if now is None:
            state = "đã xóa, chờ cập nhật"
        elif not entry:
            state = "mới, chờ cập nhật"
        elif (entry.get("size"), entry.get("mtime_ns")) != (now["size"], now["mtime_ns"]):
            state = "đã thay đổi, chờ cập nhật"
        else:
            state = ""
        rows.append(
            DocumentRow(
                path=path,
                title=entry.get("title") or Path(path).stem,
                kind=KINDS_VI.get(entry.get("kind", ""), entry.get("kind", "")),
                date=entry.get("date", ""),
                source=entry.get("source", ""),
                approved_by=entry.get("approved_by", ""),
                passages=int(entry.get("passages", 0)),
                indexed_at=_local(entry.get("indexed_at", ""), zone),
                state=state,
                skipped=skipped.get(path, ""),
            )
        )
    return Library(
        tuple(rows),
        _local(manifest.built_at, zone) if manifest else "",
        manifest.chunks if manifest else 0,
        sum(1 for r in rows if r.state),
    )


def removable(knowledge: KnowledgeBase, path: str) -> Path | None:
    """The file `path` names, when it is a knowledge file (never anything outside the folder)."""
    if path not in fingerprint(knowledge.knowledge_dir):
        return None
    root = knowledge.knowledge_dir.resolve()
    target = (root / path).resolve()
    return target if target.is_file() and target.is_relative_to(root) else None
