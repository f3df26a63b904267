"""The bot token never in a log line: whole, its secret half, or percent-encoded in a URL."""

from __future__ import annotations

import logging


def scrub(text: str, token: str) -> str:
    """`text` without the bot token: whole, its secret half, or percent-encoded in a URL."""
    if not token:
        return text
    secret = token.partition(":")[2] or token
    for form in (token, token.replace(":", "%3A"), secret):
        text = text.replace(form, "<token>")
    return text


class TokenFilter(logging.Filter):
    """Belt and braces: no log line may carry the bot token, whoever logs it, in its
    message, its exception text (PTB's InvalidToken embeds the token) or its stack."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.token:
            return True
        message = record.getMessage()
        clean = scrub(message, self.token)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text, self.token)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info, self.token)
        return True
