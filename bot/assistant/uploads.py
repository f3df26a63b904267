"""A document added to the knowledge base by an admin (a file sent in chat, or the console):
which files are taken, under what name, and how they are written.

Both front ends call these, so a file refused in one is refused in the other with the same
words; the rebuild that follows (Reloader) parses it in the sandbox with its limits and
swaps the index in atomically, keeping the old index when anything fails.
"""

from __future__ import annotations

import html
import re
import unicodedata
from pathlib import Path

from bot.errors import BotError
from bot.knowledge.scan import is_ignored

UPLOAD_SUFFIXES = (".docx", ".pdf", ".txt", ".md", ".html")
UPLOAD_KINDS_VI = ".docx, .pdf, .txt, .md hoặc .html"
_UNSAFE = re.compile(r"[^\w.\- ]+", re.UNICODE)


class UploadRefused(BotError):
    """A file that is not taken into the knowledge base; the message says why (Vietnamese HTML)."""


def safe_file_name(name: str) -> str:
    """A plain file name for knowledge/: no directories, no hidden files, no odd characters."""
    # NFC first: a phone's NFD "ạ" is "a" + a combining mark, which the filter below mangles
    base = Path(unicodedata.normalize("NFC", name).replace("\\", "/")).name
    stem, dot, suffix = base.rpartition(".")
    stem = _UNSAFE.sub("_", stem if dot else base).strip(" ._") or "tai-lieu"
    return f"{stem[:120]}.{suffix.lower()}" if dot else stem[:120]


def check_upload(file_name: str, size: int, limit: int) -> str:
    """The name the file is saved under, or UploadRefused."""
    name = safe_file_name(file_name or "")
    if not name.lower().endswith(UPLOAD_SUFFIXES):
        raise UploadRefused(
            f"Tôi chưa đọc được tệp «{html.escape(file_name or 'không tên')}». "
            f"Vui lòng gửi tệp {UPLOAD_KINDS_VI}."
        )
    if is_ignored(name):  # README.md & co. are notes about the folder, never indexed
        raise UploadRefused(
            f"Tên tệp «{html.escape(name)}» được dành cho ghi chú của thư mục tài liệu "
            "nên không được đưa vào kho tri thức. Vui lòng đổi tên tệp rồi gửi lại."
        )
    if size > limit:
        raise UploadRefused(f"Tệp quá lớn ({size / 1e6:.1f} MB). Giới hạn là {limit / 1e6:.0f} MB.")
    return name


def save_upload(knowledge_dir: Path, name: str, content: bytes) -> bool:
    """Write the file into knowledge/ atomically; True when it replaced one of that name."""
    target = knowledge_dir / name
    existed = target.exists()
    # a hidden temporary name: a build running meanwhile never reads a half-written file
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.part")
    tmp.write_bytes(content)
    tmp.replace(target)
    return existed
