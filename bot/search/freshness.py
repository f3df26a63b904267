"""Is the index current: the knowledge files as they are now against the build's manifest.

Size and modification time tell most changes at no cost; a file whose size and time changed
is hashed before the index is called stale (a copy that rewrote the same bytes is no change).
"""

from __future__ import annotations

from pathlib import Path

from bot.knowledge.scan import scan
from bot.search.index import FORMAT_VERSION, file_sha256, read_manifest


def fingerprint(knowledge_dir: Path) -> dict[str, dict]:
    """path -> size, mtime_ns, ctime_ns of every knowledge file a build would read.

    A folder that cannot be listed is recorded too ("path/"), so that it becoming readable
    makes the index stale.
    """
    found: dict[str, dict] = {}
    if not knowledge_dir.is_dir():
        return found
    listing = scan(knowledge_dir)
    for path in listing.supported():
        try:
            stat = path.stat()
        except OSError:  # gone since the listing: the next check sees it missing
            continue
        found[path.relative_to(knowledge_dir).as_posix()] = {
            "size": stat.st_size,
            "mtime_ns": stat.st_mtime_ns,
            "ctime_ns": stat.st_ctime_ns,
        }
    for folder in listing.unreadable:
        found[folder.path] = {"folder": True}
    return found


def is_fresh(knowledge_dir: Path, index_dir: Path, encoder_id: str) -> bool:
    """True when the current build was made by this encoder from exactly these files."""
    manifest = read_manifest(index_dir)
    if manifest is None or manifest.format != FORMAT_VERSION or manifest.encoder != encoder_id:
        return False
    now = fingerprint(knowledge_dir)
    if set(now) != set(manifest.documents):
        return False
    for rel, stat in now.items():
        known = manifest.documents[rel]
        if stat.get("folder"):
            continue
        if known.get("sha256") is None:
            # unreadable at build time: a chmod changes only ctime, and must make it stale
            if all(known.get(k) == stat[k] for k in ("size", "mtime_ns", "ctime_ns")):
                continue
            return False
        if (known.get("size"), known.get("mtime_ns")) == (stat["size"], stat["mtime_ns"]):
            continue
        try:
            if file_sha256(knowledge_dir / rel) != known.get("sha256"):
                return False
        except OSError:
            return False
    return True
