"""Who may do what: admins from the settings, moderators granted in the store or the settings."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from bot.assistant import records
from bot.commands import Role
from bot.store import Store


class Roles:
    """The role of each (platform, user); the granted moderators are cached from the store."""

    def __init__(
        self,
        store: Store,
        admins: Mapping[str, Iterable[str | int]],
        configured_moderators: Mapping[str, Iterable[str | int]] | None = None,
    ) -> None:
        self.store = store
        self.admins = {p: {str(i) for i in ids} for p, ids in admins.items()}
        # moderators named in the settings (bridge platforms); /thuhoi cannot revoke them
        self.configured = {
            p: {str(i) for i in ids} for p, ids in (configured_moderators or {}).items()
        }
        self.moderators: dict[str, set[str]] = {}

    async def reload(self) -> None:
        """Read the granted moderators again (another process may have changed them)."""
        self.moderators = await self.store.run(records.all_moderators, self.store)

    def role_of(self, platform: str, user_id: str) -> Role:
        if user_id in self.admins.get(platform, ()):
            return Role.ADMIN
        if user_id in self.moderators.get(platform, ()):
            return Role.MODERATOR
        if user_id in self.configured.get(platform, ()):
            return Role.MODERATOR
        return Role.MEMBER

    async def grant(
        self, platform: str, user_id: str, granted_by: str, approver: bool = False
    ) -> bool:
        added = await self.store.run(
            records.grant, self.store, platform, user_id, granted_by, "", approver
        )
        self.moderators.setdefault(platform, set()).add(user_id)
        return added

    async def revoke(self, platform: str, user_id: str) -> bool:
        removed = await self.store.run(records.revoke, self.store, platform, user_id)
        self.moderators.get(platform, set()).discard(user_id)
        return removed
