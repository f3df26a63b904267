"""CSRF protection for every console form.

A signed-in form carries its session's token (stored with the session, so every replica
checks it alike); a form shown before sign-in carries the value of a short-lived cookie of
its own (double submit), so a page elsewhere cannot sign a browser in as someone else.
Every POST is checked before its handler runs (bot.console.access and bot.console.signin).
"""

from __future__ import annotations

import hmac
import secrets

FIELD = "csrf"  # the hidden form field (and the X-CSRF-Token header for fetch calls)
HEADER = "x-csrf-token"
PRE_COOKIE = "bot_console_pre"  # before sign-in


def new_token() -> str:
    return secrets.token_urlsafe(32)


def matches(expected: str, submitted: object) -> bool:
    """The submitted token is the expected one (constant-time; nothing matches an empty one)."""
    if not expected or not isinstance(submitted, str) or not submitted:
        return False
    return hmac.compare_digest(expected.encode("utf-8"), submitted.encode("utf-8"))
