"""How the delivery engine behaves, and the name it claims rows under."""

from __future__ import annotations

import os
import secrets
import socket
from dataclasses import dataclass, field
from datetime import timedelta

from bot.broadcast.limits import Limits


@dataclass
class EngineOptions:
    """How the engine behaves; the composition root fills it from Settings."""

    grace: timedelta = timedelta(minutes=30)
    tick_seconds: float = 0.5
    max_attempts: int = 6  # for sends that surely did not leave (connection errors)
    backoff_seconds: float = 1.0  # doubled per attempt
    max_backoff_seconds: float = 60.0
    max_in_flight: int = 16  # fills 30/s up to ~0.5 s a send (round trip and commits)
    limits: Limits = field(default_factory=Limits)
    # how long a claim holds without renewal (renewed every third of it while in flight):
    # after a replica dies its in-flight rows wait this long before another reports them
    lease_seconds: float = 10.0

    @classmethod
    def from_settings(cls, settings) -> EngineOptions:
        return cls(
            grace=timedelta(minutes=settings.broadcast_grace_minutes),
            tick_seconds=settings.broadcast_tick_seconds,
            lease_seconds=settings.broadcast_lease_seconds,
        )


def engine_name() -> str:
    """This engine's owner name on the rows it claims: the host, the process, a nonce."""
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{secrets.token_hex(4)}"
