"""PTB exceptions become the DeliveryError family; nothing else leaks out of the adapter."""

from __future__ import annotations

import datetime as dtm
import socket
import struct
import threading

import httpx
import pytest
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.chat import OutgoingMessage
from bot.errors import ChatGone, Rejected, RetryLater, Uncertain, Unreachable
from bot.platforms.telegram import TelegramPlatform, translate


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
        (caused(NetworkError("httpx.ReadError: "), httpx.ReadError("")), Uncertain),
    ],
)
def test_translation(error, expected):
    assert type(translate(error)) is expected


def test_retry_after_keeps_the_wait():
    got = translate(RetryAfter(dtm.timedelta(seconds=7)))
    assert isinstance(got, RetryLater) and got.retry_after == 7.0


def reset_after_reading_the_request(listener: socket.socket) -> None:
    """Take one connection, read one request, then reset it (RST, not FIN)."""
    connection, _ = listener.accept()
    with connection, connection.makefile("rb") as request:
        length = 0
        while (line := request.readline()) not in (b"\r\n", b""):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        request.read(length)
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


async def test_a_send_reset_after_it_left_is_uncertain_over_real_http():
    """A connection reset once the request is out (what a full listen backlog did to the
    stub, what a proxy or NAT can do to Telegram's): PTB raises NetworkError from
    httpx.ReadError. The message may have arrived and Telegram has no idempotency key, so
    it is `uncertain`, never retried like a refused connection."""
    from telegram import Bot
    from telegram.request import HTTPXRequest

    with socket.create_server(("127.0.0.1", 0)) as listener:
        server = threading.Thread(target=reset_after_reading_the_request, args=(listener,))
        server.start()
        port = listener.getsockname()[1]
        # both of the Bot's clients given and closed here: bot.shutdown() closes them only
        # after bot.initialize(), whose getMe this server would reset
        request, updates_request = HTTPXRequest(), HTTPXRequest()
        bot = Bot(
            "1:x",
            base_url=f"http://127.0.0.1:{port}/bot",
            request=request,
            get_updates_request=updates_request,
        )
        try:
            with pytest.raises(Uncertain) as raised:
                await TelegramPlatform(bot).send("-1001", OutgoingMessage("Thông báo"))
        finally:
            await request.shutdown()
            await updates_request.shutdown()
            server.join(5)

    assert isinstance(raised.value.__cause__.__cause__, httpx.ReadError)
