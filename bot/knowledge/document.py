"""The values a knowledge file becomes: a Document, and the report of a file that failed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Document:
    """One approved document: its text (page breaks repaired) and its metadata."""

    path: str  # relative to the knowledge directory, with forward slashes
    title: str
    text: str
    kind: str = "plan"  # plan | speech | article | post | hoi-dap
    date: str = ""  # as written by the issuer, e.g. "15/10/2024"
    source: str = ""  # issuer or publication
    approved_by: str = ""
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SkippedFile:
    """A knowledge file that could not be read, and why (in Vietnamese, for admins)."""

    path: str
    reason: str


def relative_name(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()
