"""Whom a schedule reaches: all active groups, the groups with some #labels, or chosen chats.

`parse_targets` reads what a moderator wrote («tất cả», «#phuong1 #chibo2», chat ids);
`target_chats` is who that means right now (the registry changes between due times).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.broadcast import BroadcastError
from bot.broadcast.models import Schedule
from bot.store import Chat

TargetKind = Literal["all", "tags", "chats"]
_ALL_WORDS = {"", "tat ca", "tất cả", "all", "*", "moi nhom", "mọi nhóm"}


@dataclass(frozen=True)
class Targets:
    """All active groups, the groups with any of some tags, or chosen chats (chats.id)."""

    kind: TargetKind = "all"
    values: tuple[str, ...] = ()

    def describe(self) -> str:
        if self.kind == "all":
            return "tất cả nhóm đang hoạt động"
        if self.kind == "tags":
            return "các nhóm có nhãn " + ", ".join(f"#{t}" for t in self.values)
        return f"{len(self.values)} nhóm được chọn"


def parse_targets(session: Session, text: str) -> Targets:
    """ "tất cả", "#tag1 #tag2", or chat ids ("-100123" or "telegram:-100123")."""
    text = " ".join(text.replace(",", " ").split())
    if text.lower() in _ALL_WORDS:
        return Targets()
    words = text.split()
    if all(w.startswith("#") and len(w) > 1 for w in words):
        return Targets("tags", tuple(dict.fromkeys(w[1:].lower() for w in words)))
    refs, unknown = [], []
    for word in words:
        platform, _, chat_id = word.rpartition(":")
        query = select(Chat.id).where(Chat.chat_id == chat_id)
        if platform:
            query = query.where(Chat.platform == platform)
        found = session.scalars(query).all()
        if len(found) == 1 and re.fullmatch(r"-?\d+|@\w+", chat_id):
            refs.append(str(found[0]))
        else:
            unknown.append(word)
    if unknown:
        raise BroadcastError(
            "Không rõ nhóm: " + ", ".join(unknown) + ". Ghi «tất cả», nhãn như «#phuong1 "
            "#chibo2», hoặc mã nhóm như «-1001234567890»."
        )
    return Targets("chats", tuple(dict.fromkeys(refs)))


def targets_of(schedule: Schedule) -> Targets:
    values = tuple(v for v in schedule.target_value.split(",") if v)
    return Targets(schedule.target_kind, values)  # type: ignore[arg-type]


def target_chats(session: Session, targets: Targets) -> list[Chat]:
    """The active chats a schedule reaches right now."""
    query = select(Chat).where(Chat.active.is_(True)).order_by(Chat.id)
    if targets.kind == "chats":
        ids = [int(v) for v in targets.values]
        return list(session.scalars(query.where(Chat.id.in_(ids))))
    groups = list(session.scalars(query.where(Chat.chat_type != "private")))
    if targets.kind == "tags":
        wanted = set(targets.values)
        groups = [chat for chat in groups if chat.tag_set & wanted]
    return groups


def unknown_tags(session: Session, targets: Targets) -> list[str]:
    """The tags of `targets` that no active group carries (likely a typo: warn the person)."""
    if targets.kind != "tags":
        return []
    groups = session.scalars(
        select(Chat).where(Chat.active.is_(True), Chat.chat_type != "private")
    ).all()
    known = set().union(*(chat.tag_set for chat in groups)) if groups else set()
    return [tag for tag in targets.values if tag not in known]
