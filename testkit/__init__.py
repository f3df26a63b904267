"""Test doubles, outside the product: the Bot API stub server, fakes, a bridge connector."""

from __future__ import annotations

from testkit._limits import ApiError, FloodLimits
from testkit._record import Call, load_calls, sent_messages_in
from testkit._stub import DEFAULT_TOKEN, BotApiStub
from testkit._world import ANONYMOUS_ADMIN_ID

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
