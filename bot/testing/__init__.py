"""Test doubles that are part of the package: the Telegram Bot API stub server."""

from __future__ import annotations

from bot.testing._limits import ApiError, FloodLimits
from bot.testing._record import Call, load_calls, sent_messages_in
from bot.testing._stub import DEFAULT_TOKEN, BotApiStub
from bot.testing._world import ANONYMOUS_ADMIN_ID

__all__ = [
    "ANONYMOUS_ADMIN_ID",
    "DEFAULT_TOKEN",
    "ApiError",
    "BotApiStub",
    "Call",
    "FloodLimits",
    "load_calls",
    "sent_messages_in",
]
