"""The bot's exceptions; they become user-facing (Vietnamese) messages only at the edges.

BotError
 ├── ConfigError        a setting is missing or wrong (raised at start)
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


class IndexCorrupt(BotError):
    """The index on disk cannot be used (missing file, other encoder, damaged)."""


class BuildError(BotError):
    """Building the index failed; the previous index is left in place."""


class BuildInProgress(BotError):
    """Another build is already running."""


class InvalidQuestion(BotError):
    """The question cannot be searched (empty, only symbols, …)."""
