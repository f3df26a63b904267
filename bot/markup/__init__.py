"""Telegram HTML, the one text format of the core: parse as Telegram does, plain text, length.

`parse_html` follows tdlib's HTML parse mode (`entities`): plain text and Bot API entities,
or the refusal Telegram would send (EntityParseError, in Telegram's words). Offsets and
lengths are in UTF-16 code units, like the Bot API; error offsets are UTF-8 byte offsets,
like the messages Telegram returns ("... at byte offset 13"). Everything else here is built
on it: `problems` (the refusal in Vietnamese, for a moderator: `refusals`), `plain` (what a
terminal or a messenger without formatting shows), `escape`, `visible_len` (`text`), and
`web_html` (what a browser may show: `web`). Replies, posts, the console, the bridge and the
Bot API stub all use this package; none re-implements it.
"""

from __future__ import annotations

from bot.markup.entities import (
    EntityParseError,
    command_and_mention_entities,
    parse_html,
    utf16_len,
)
from bot.markup.refusals import problems
from bot.markup.text import escape, plain, visible_len
from bot.markup.web import web_html

__all__ = [
    "EntityParseError",
    "command_and_mention_entities",
    "escape",
    "parse_html",
    "plain",
    "problems",
    "utf16_len",
    "visible_len",
    "web_html",
]
