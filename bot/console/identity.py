"""Who is signed in to the console: a person on a chat platform, and what they may do there."""

from __future__ import annotations

from dataclasses import dataclass

from bot.broadcast.approval import Actor
from bot.commands import ROLE_NAMES_VI, Role


@dataclass(frozen=True)
class Identity:
    """A person as a chat platform knows them (Telegram user 5555 is not Mocha user 5555)."""

    platform: str
    user_id: str
    name: str = ""


@dataclass(frozen=True)
class Viewer:
    """The person behind a request, with the role read for this very request."""

    identity: Identity
    role: Role
    approver: bool  # admins, and moderators flagged with /nguoiduyet
    csrf: str  # the session's token every form must carry

    def may(self, role: Role, approver: bool = False) -> bool:
        return self.role >= role and (self.approver or not approver)

    @property
    def role_name(self) -> str:
        name = ROLE_NAMES_VI[self.role]
        return f"{name}, người duyệt" if self.approver and self.role < Role.ADMIN else name

    def actor(self) -> Actor:
        """The viewer as the broadcast feature records who acted (as chat does)."""
        who = self.identity
        return Actor(who.platform, who.user_id, self.role, who.name)
