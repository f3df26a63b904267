"""What the composition root hands the console: its settings and the features it drives.

Built by bot.app (`console_parts`) from the same feature objects chat uses, so the
console approves, schedules and reloads through exactly the code the chat commands do.
Add a collaborator here when a page needs one — never a bag of services.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from bot.answerdesk.service import AnswerDesk
from bot.assistant.reloading import Reloader
from bot.assistant.roles import Roles
from bot.broadcast.commands import Broadcasts
from bot.chat import Platform
from bot.clock import Clock, utcnow
from bot.search.knowledge_base import KnowledgeBase
from bot.store import Store


@dataclass(frozen=True)
class ConsoleConfig:
    """The console's settings, as values."""

    public_url: str  # BOT_PUBLIC_URL without a trailing slash; the console is at …/console/
    session_lifetime: timedelta
    bot_token: str = ""  # for Mini App initData; empty: the Mini App sign-in is refused
    timezone: str = "Asia/Ho_Chi_Minh"
    max_upload_bytes: int = 10_000_000  # BOT_MAX_UPLOAD_MB, as for a file sent in chat

    @property
    def max_body_bytes(self) -> int:
        """The largest request the console reads: an upload and its form around it."""
        return self.max_upload_bytes + 1_000_000

    @property
    def base_url(self) -> str:
        return f"{self.public_url}/console"

    @property
    def secure_cookies(self) -> bool:
        return self.public_url.startswith("https://")


@dataclass(frozen=True)
class ConsoleParts:
    """The console's collaborators (the features behind its pages)."""

    config: ConsoleConfig
    store: Store
    roles: Roles
    broadcasts: Broadcasts
    knowledge: KnowledgeBase
    reloader: Reloader
    platforms: Mapping[str, Platform]  # filled as adapters start (a photo's bytes, messages)
    answer_desk: AnswerDesk  # unanswered questions and officers' answers (the Questions page)
    clock: Clock = utcnow
