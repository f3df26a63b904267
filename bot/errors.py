"""The bot's exceptions; they become user-facing (Vietnamese) messages only at the edges.

BotError
 ├── ConfigError        a setting is missing or wrong (raised at start)
 ├── SchemaOutdated     the database's schema is not the code's and may not be migrated
 ├── IndexCorrupt       the search index is missing, foreign or corrupted
 ├── BuildError         a knowledge build failed; the old index keeps serving
 ├── BuildInProgress    a second build was asked for while one runs
 └── InvalidQuestion    empty / unusable question text
"""

from __future__ import annotations


class BotError(Exception):
    """Base of every error the bot raises on purpose; the message is Vietnamese."""


class ConfigError(BotError):
    """A setting is wrong; the message names it."""


class SchemaOutdated(BotError):
    """The database needs `python -m bot db upgrade` (BOT_DB_AUTO_MIGRATE is off)."""


class IndexCorrupt(BotError):
    """The index on disk cannot be used (missing file, other encoder, damaged)."""


class BuildError(BotError):
    """Building the index failed; the previous index is left in place."""


class BuildInProgress(BotError):
    """Another build is already running."""


class InvalidQuestion(BotError):
    """The question cannot be searched (empty, only symbols, …)."""


# Delivery outcomes a platform adapter reports (Telegram, HTTP bridge). The core decides
# what to do with them; only the adapter knows the platform's own exception types.
class DeliveryError(BotError):
    """Sending to a chat did not succeed."""


class RetryLater(DeliveryError):
    """The platform asked us to slow down; nothing was delivered."""

    def __init__(self, retry_after: float, message: str = "") -> None:
        super().__init__(message or f"thử lại sau {retry_after:g} giây")
        self.retry_after = retry_after


class Unreachable(DeliveryError):
    """The request surely did not leave (connection refused, DNS): safe to retry."""


class ChatGone(DeliveryError):
    """The bot was removed or blocked, or the chat no longer exists: mark it inactive."""


class Rejected(DeliveryError):
    """The platform refused this message (bad request): retrying will not help."""


class Uncertain(DeliveryError):
    """The request left but no answer came (timeout): it may or may not have been delivered."""
