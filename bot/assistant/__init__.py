"""The platform-independent assistant (see core.Assistant): adapters feed it events."""

from __future__ import annotations

from bot.assistant.core import Assistant, AssistantConfig

__all__ = ["Assistant", "AssistantConfig"]
