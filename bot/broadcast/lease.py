"""The sending lease: which delivery engine may send broadcasts now, one per bot token.

Telegram's flood limits (30/s per token, 20/min per group) are per bot, not per process,
so several replicas sending at once would have to share their windows. Two ways were
possible: keep the token buckets in PostgreSQL (every send takes a token in a shared row),
or let one replica hold a sending lease and send alone. This module does the second:

- one sender reaches the whole 30/s (the engine keeps up to 16 sends in flight), so
  sharing the sends between replicas would not make a broadcast any faster;
- the in-memory FloodLimiter stays exact — sliding windows stamped at each answer less the
  shortest round trip, RetryAfter holds, the replies' reserve — where buckets in a shared
  row would cost a database round trip and a contended row lock per send and could only
  count when a send was granted, not when Telegram saw it;
- the lease is a PostgreSQL session advisory lock, which the server releases the moment
  the holder's connection ends: a replica killed mid-broadcast (SIGKILL closes its socket)
  hands the lease over at the next poll of another replica (`hold`, every engine tick).
  For a machine that vanishes without closing its socket, the lease connection asks the
  server for TCP keepalives (5 s idle, 3 probes 2 s apart), so the lock goes in ~11 s.

The new holder waits one flood window (`HANDOVER_QUIET`) before its first send, so the
dead holder's last second and its new one never add up to more than 30 sends. What it
cannot know is the dead holder's per-group minute: a group is sent at most one message per
post, so 20/min per group would only be at risk with more than 20 posts a minute to one group.

Not covered: replies to members. Each replica answers the updates it gets through its own
limiter, and the holder keeps `reply_reserve` of the 30/s free only while its own replies
are active; replies another replica sends during a broadcast at full pace can push the bot
past 30/s for a moment, and Telegram's RetryAfter (honoured by both paths) is the backstop.

SQLite (the embedded default) means one process: `SoleSender` always holds the lease.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Protocol

from sqlalchemy import Connection, Engine, text

log = logging.getLogger(__name__)
LEASE_KEY = 0x626F7473656E64  # "botsend": one lock per database, i.e. per bot
HANDOVER_QUIET = 1.05  # seconds: one per-bot flood window and its margin
KEEPALIVES = (
    "SET tcp_keepalives_idle = 5; SET tcp_keepalives_interval = 2; SET tcp_keepalives_count = 3"
)


class SendingLease(Protocol):
    """Whether this engine may send broadcasts now; `hold` blocks (call it via store.run)."""

    shared: bool  # other engines may be running on the same database

    def hold(self) -> bool:
        """Take the lease or keep it; True while it is this engine's."""
        ...

    def release(self) -> None:
        """Give the lease up (engine stopping)."""
        ...


class SoleSender:
    """One process on its own database: the lease is always ours."""

    shared = False

    def hold(self) -> bool:
        return True

    def release(self) -> None:
        pass


class AdvisoryLease:
    """A PostgreSQL session advisory lock held on a connection of its own."""

    shared = True

    def __init__(self, engine: Engine, key: int = LEASE_KEY) -> None:
        self._engine = engine
        self._key = key
        self._conn: Connection | None = None

    def hold(self) -> bool:
        if self._conn is not None:
            try:  # a lock lives as long as its session: a live session means it is still ours
                self._conn.execute(text("SELECT 1"))
                return True
            except Exception:
                log.warning("the sending lease's connection was lost; trying to take it again")
                self._drop()
        conn = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        try:
            conn.exec_driver_sql(KEEPALIVES)
            taken = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": self._key})
            if taken.scalar():
                self._conn = conn
                log.info("this replica holds the sending lease")
                return True
        except Exception:
            conn.close()
            raise
        conn.close()
        return False

    def release(self) -> None:
        if self._conn is None:
            return
        with contextlib.suppress(Exception):  # the session is gone, and its lock with it
            self._conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self._key})
        self._drop()

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.invalidate()  # never back into the pool: it may still hold the lock
            finally:
                conn.close()


def lease_for(engine: Engine) -> SendingLease:
    """The lease that fits the database: advisory on PostgreSQL, sole sender otherwise."""
    return AdvisoryLease(engine) if engine.dialect.name == "postgresql" else SoleSender()
