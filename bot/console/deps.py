"""What a console page gets: the features behind it, the gate that checks every action, the
renderer. Each page module builds its routes from this one typed object (bot/console/pages)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.console.access import Gate
from bot.console.parts import ConsoleParts
from bot.console.render import Renderer


@dataclass(frozen=True)
class ConsoleDeps:
    parts: ConsoleParts
    gate: Gate
    render: Renderer

    @property
    def base(self) -> str:
        return self.render.base
