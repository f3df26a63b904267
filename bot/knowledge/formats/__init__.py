"""Raw text out of each knowledge file format, before NFC and repair: one module a format.

`word` (.docx), `pdf`, `web_page` (.html) and `markdown` (.md front matter and markup).
Each extractor returns paragraphs separated by blank lines, with the format's own headings
as `heading_marker` lines, so the repair step and the chunker see the same shape whatever
the format. They raise `UnreadableFile` with a Vietnamese reason for conditions an admin
can fix, and let library errors through for the loader to report.
"""

from __future__ import annotations

from bot.errors import BotError


class UnreadableFile(BotError):
    """A knowledge file that cannot be turned into text; the message says why, in Vietnamese."""


def heading_marker(level: int, text: str) -> str:
    """A heading line as every extractor hands it to the chunker: "## Điều 3. …"."""
    return f"{'#' * min(max(level, 1), 6)} {' '.join(text.split())}"
