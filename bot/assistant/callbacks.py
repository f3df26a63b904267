"""Button data: compact (well under Telegram's 64 bytes) and safe to parse when stale or forged."""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_DATA = 64
_MORE = re.compile(r"m:(\d{1,12}):(\d{1,2})")
_VOTE = re.compile(r"v:(\d{1,12}):([01])")


@dataclass(frozen=True)
class ShowPage:
    """Show result `page` of question `question_id` in place."""

    question_id: int
    page: int


@dataclass(frozen=True)
class Vote:
    """👍 (helpful) or 👎 on the answer to question `question_id`."""

    question_id: int
    helpful: bool


def show_page(question_id: int, page: int) -> str:
    return f"m:{question_id}:{page}"


def vote(question_id: int, helpful: bool) -> str:
    return f"v:{question_id}:{int(helpful)}"


def parse(data: str | None) -> ShowPage | Vote | None:
    """The action behind button data, or None for anything we did not make."""
    if not data or len(data) > MAX_DATA:
        return None
    if m := _MORE.fullmatch(data):
        return ShowPage(int(m[1]), int(m[2]))
    if m := _VOTE.fullmatch(data):
        return Vote(int(m[1]), m[2] == "1")
    return None
