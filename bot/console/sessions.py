"""Server-side console sessions: a random secret in an HttpOnly cookie, its hash in the DB.

A session ends when it expires (BOT_CONSOLE_SESSION_HOURS) or on sign-out; expired rows
are removed whenever a new session opens. It carries its own CSRF token (bot.console.csrf).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from bot.console.identity import Identity
from bot.console.links import digest
from bot.console.models import ConsoleSession
from bot.store import Store

COOKIE = "bot_console"


@dataclass(frozen=True)
class Opened:
    """A session found by its cookie: who, their CSRF token, until when."""

    identity: Identity
    csrf: str
    expires_at: datetime


def open_session(store: Store, who: Identity, via: str, now: datetime, lifetime: timedelta) -> str:
    """A new session for `who`; returns the secret the cookie carries."""
    secret = secrets.token_urlsafe(32)
    with store.session() as session:
        session.execute(delete(ConsoleSession).where(ConsoleSession.expires_at <= now))
        session.add(
            ConsoleSession(
                token_hash=digest(secret),
                platform=who.platform,
                user_id=who.user_id,
                user_name=who.name,
                csrf=secrets.token_urlsafe(32),
                via=via,
                created_at=now,
                expires_at=now + lifetime,
            )
        )
    return secret


def find(store: Store, secret: str, now: datetime) -> Opened | None:
    """The live session with this secret, or None (unknown, expired, signed out)."""
    if not secret:
        return None
    with store.session() as session:
        row = session.scalar(
            select(ConsoleSession).where(
                ConsoleSession.token_hash == digest(secret), ConsoleSession.expires_at > now
            )
        )
        if row is None:
            return None
        who = Identity(row.platform, row.user_id, row.user_name)
        return Opened(who, row.csrf, row.expires_at)


def close(store: Store, secret: str) -> None:
    with store.session() as session:
        session.execute(delete(ConsoleSession).where(ConsoleSession.token_hash == digest(secret)))
