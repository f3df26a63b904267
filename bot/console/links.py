"""One-time sign-in links: issued by /dangnhap, single use, short-lived, stored hashed.

Redeeming is a compare-and-set (`used_at IS NULL AND expires_at > now`) in one UPDATE, so
two requests racing with the same link (a double tap, a link-preview fetch) sign in once.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update

from bot.console.identity import Identity
from bot.console.models import SignInLink
from bot.store import Store

LINK_LIFETIME = timedelta(minutes=10)


class LinkRefused(Exception):
    """A link that does not sign anyone in; the message is shown as is (Vietnamese)."""


def digest(secret: str) -> str:
    """What the database keeps of a link or session secret."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def issue(store: Store, who: Identity, now: datetime, lifetime: timedelta = LINK_LIFETIME) -> str:
    """A new link secret for `who`; only its hash is stored."""
    secret = secrets.token_urlsafe(32)
    with store.session() as session:
        session.add(
            SignInLink(
                token_hash=digest(secret),
                platform=who.platform,
                user_id=who.user_id,
                user_name=who.name,
                created_at=now,
                expires_at=now + lifetime,
            )
        )
    return secret


def redeem(store: Store, secret: str, now: datetime) -> Identity:
    """The person the link was sent to, once; LinkRefused says why it no longer works."""
    token_hash = digest(secret)
    with store.session() as session:
        claimed = session.execute(
            update(SignInLink)
            .where(
                SignInLink.token_hash == token_hash,
                SignInLink.used_at.is_(None),
                SignInLink.expires_at > now,
            )
            .values(used_at=now)
        ).rowcount
        row = session.scalar(select(SignInLink).where(SignInLink.token_hash == token_hash))
        if row is None:
            raise LinkRefused("Liên kết đăng nhập không đúng.")
        if not claimed:
            if row.used_at is not None:
                raise LinkRefused("Liên kết này đã được dùng. Gửi /dangnhap để nhận liên kết mới.")
            raise LinkRefused("Liên kết này đã hết hạn. Gửi /dangnhap để nhận liên kết mới.")
        return Identity(row.platform, row.user_id, row.user_name)
