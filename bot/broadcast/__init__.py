"""Broadcasts ("phủ xanh"): posts, approval, schedules and the durable delivery engine."""

from __future__ import annotations

from bot.errors import BotError


class BroadcastError(BotError):
    """A broadcast request that cannot be carried out; the message is Vietnamese."""
