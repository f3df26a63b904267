"""Replay protection: every update id accepted in the last 24 hours is kept in the database.

A connector retries an update (same ids, signed again with a fresh timestamp) until it
gets an answer, and docs/bridge.md asks it to keep its ids for a day; so a fresh
signature proves nothing and the id alone decides. Ids are kept WINDOW (24 h) plus a
margin for clocks, in the database (a restart does not forget them), pruned every minute
once older than that, and never more than `max_ids` rows: past the cap the oldest go
first (logged), so a flood of updates cannot fill the disk.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Integer, String, UniqueConstraint, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from bot.clock import utcnow
from bot.store import Base, Store, UTCDateTime

log = logging.getLogger(__name__)

WINDOW = timedelta(hours=24)  # what the docs promise: a replay within it gets 409
KEEP = WINDOW + timedelta(hours=1)  # kept a little longer: the connector's clock may differ
MAX_IDS = 5_000_000  # ~1 GB at most; 58 updates a second for a whole day
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

    def __init__(
        self,
        store: Store,
        keep: timedelta = KEEP,
        *,
        max_ids: int = MAX_IDS,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.store = store
        self.keep = keep
        self.max_ids = max_ids
        self.clock = clock  # aware UTC (tests move it)
        self._pruned = float("-inf")
        self._lock = threading.Lock()

    def first_time(self, platform: str, kind: str, key: str) -> bool:
        """True the first time this id is seen within the window, False for a replay."""
        self._maybe_prune()
        try:
            with self.store.session() as session:
                session.add(SeenUpdate(platform=platform, kind=kind, key=key, seen_at=self.clock()))
        except IntegrityError:
            return False
        return True

    def _maybe_prune(self) -> None:
        with self._lock:
            now = time.monotonic()
            if now - self._pruned < PRUNE_EVERY:
                return
            self._pruned = now
        self.prune()

    def prune(self) -> int:
        """Forget ids older than `keep`, then the oldest beyond `max_ids`; returns how many."""
        with self.store.session() as session:
            expired = session.execute(
                delete(SeenUpdate).where(SeenUpdate.seen_at < self.clock() - self.keep)
            ).rowcount  # type: ignore[attr-defined]
            over = (session.scalar(select(func.count(SeenUpdate.id))) or 0) - self.max_ids
            dropped = 0
            if over > 0:
                newest_dropped = session.scalar(
                    select(SeenUpdate.id).order_by(SeenUpdate.id).offset(over - 1).limit(1)
                )
                dropped = session.execute(
                    delete(SeenUpdate).where(SeenUpdate.id <= newest_dropped)
                ).rowcount  # type: ignore[attr-defined]
                log.warning(
                    "replay guard over %d ids: forgot the %d oldest before their time",
                    self.max_ids,
                    dropped,
                )
        return int(expired or 0) + int(dropped or 0)
