"""Replay protection: every update id seen in the last minutes is kept in the database.

A signed request stays valid for MAX_SKEW_SECONDS either way, so an id must be remembered a
little longer than twice that; the rows live in the database (not in memory) so a restart
inside the window does not let a captured request through again.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta

from sqlalchemy import Integer, String, UniqueConstraint, delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from bot.clock import utcnow
from bot.platforms.bridge.signing import MAX_SKEW_SECONDS
from bot.store import Base, Store, UTCDateTime

KEEP = timedelta(seconds=2 * MAX_SKEW_SECONDS + 60)
PRUNE_EVERY = 60.0  # seconds between deletions of expired ids


class SeenUpdate(Base):
    """An update id the bridge accepted: (platform, kind, key) may come only once."""

    __tablename__ = "bridge_seen_updates"
    __table_args__ = (UniqueConstraint("platform", "kind", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(160))  # chat id / message id for messages
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class ReplayGuard:
    """`first_time` claims an id atomically (a unique row); synchronous: call it in a thread."""

    def __init__(self, store: Store, keep: timedelta = KEEP) -> None:
        self.store = store
        self.keep = keep
        self._pruned = 0.0
        self._lock = threading.Lock()

    def first_time(self, platform: str, kind: str, key: str) -> bool:
        """True the first time this id is seen within the window, False for a replay."""
        self._maybe_prune()
        try:
            with self.store.session() as session:
                session.add(SeenUpdate(platform=platform, kind=kind, key=key, seen_at=utcnow()))
        except IntegrityError:
            return False
        return True

    def _maybe_prune(self) -> None:
        with self._lock:
            now = time.monotonic()
            if now - self._pruned < PRUNE_EVERY:
                return
            self._pruned = now
        cutoff = utcnow() - self.keep
        with self.store.session() as session:
            session.execute(delete(SeenUpdate).where(SeenUpdate.seen_at < cutoff))
