"""Which files of the knowledge folder a build reads, and which folders it could not open.

`Path.rglob` passes over a folder it may not list without a word; an admin whose documents
sit in such a folder would never learn why they are not answered from. `scan` walks the
tree itself and reports those folders. The rules for what is ignored (hidden files,
README, lock files, images …) stay the loaders' own.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from bot.knowledge import loaders
from bot.knowledge.document import SkippedFile

UNREADABLE_FOLDER = "không mở được thư mục (không có quyền truy cập), các tệp bên trong bị bỏ qua"


@dataclass
class Scan:
    """The files a build tries (sorted, not ignored) and the folders it could not list."""

    files: list[Path] = field(default_factory=list)
    unreadable: list[SkippedFile] = field(default_factory=list)

    def supported(self) -> list[Path]:
        return [p for p in self.files if p.suffix.lower() in loaders.SUPPORTED_SUFFIXES]


def is_ignored(relative: str) -> bool:
    """True for names the loaders pass over silently (README.md, hidden files, backups …)."""
    # one private import, here only: the loaders own these rules and keep them in one place
    return loaders._ignored(PurePosixPath(relative))


def scan(root: Path) -> Scan:
    found = Scan()

    def unreadable(error: OSError) -> None:
        if error.filename is None:
            return
        rel = Path(error.filename).relative_to(root).as_posix()
        found.unreadable.append(SkippedFile(path=f"{rel}/", reason=UNREADABLE_FOLDER))

    if not root.is_dir():
        return found
    if not os.access(root, os.R_OK | os.X_OK):
        found.unreadable.append(SkippedFile(path="./", reason=UNREADABLE_FOLDER))
        return found
    for folder, dirs, files in os.walk(root, onerror=unreadable):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        base = Path(folder)
        for name in files:
            path = base / name
            rel = path.relative_to(root).as_posix()
            if not is_ignored(rel) and path.is_file():
                found.files.append(path)
    found.files.sort()
    found.unreadable.sort(key=lambda s: s.path)
    return found
