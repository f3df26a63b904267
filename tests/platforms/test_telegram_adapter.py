"""PTB exceptions become the DeliveryError family; nothing else leaks out of the adapter."""

from __future__ import annotations

import datetime as dtm

import httpx
import pytest
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.errors import ChatGone, Rejected, RetryLater, Uncertain, Unreachable
from bot.platforms.telegram import translate


def caused(exc, cause):
    exc.__cause__ = cause
    return exc


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (Forbidden("Forbidden: bot was blocked by the user"), ChatGone),
        (BadRequest("Bad Request: chat not found"), ChatGone),
        (ChatMigrated(-100123), ChatGone),
        (BadRequest("Bad Request: can't parse entities"), Rejected),
        (TimedOut(), Uncertain),
        (caused(TimedOut(), httpx.ConnectTimeout("x")), Unreachable),
        (caused(NetworkError("httpx.ConnectError"), httpx.ConnectError("x")), Unreachable),
        (caused(NetworkError("closed"), httpx.RemoteProtocolError("x")), Uncertain),
    ],
)
def test_translation(error, expected):
    assert type(translate(error)) is expected


def test_retry_after_keeps_the_wait():
    got = translate(RetryAfter(dtm.timedelta(seconds=7)))
    assert isinstance(got, RetryLater) and got.retry_after == 7.0
