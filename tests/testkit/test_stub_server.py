"""The stub's HTTP server under a client that opens many connections at once."""

from __future__ import annotations

import contextlib
import socket

from testkit import BotApiStub
from testkit._server import StubHTTPServer, serve_in_thread

# More than any client in the suite opens at once: a broadcast keeps up to 16 sends in
# flight on a pool of 32 connections (bot/broadcast/runner.py make_bot).
AT_ONCE = 64


def test_connections_made_before_the_accept_loop_takes_them_are_all_answered():
    """On a loaded machine the stub's accept thread can be late; the kernel holds the
    connections it has not taken yet in the listen backlog. With socketserver's backlog of
    5, PTB's concurrent connections were reset there (SYN cookies) and a send failed with
    httpx.ReadError, the flake of test_at_real_latency_... in tests/broadcast; these
    connections, made one after another, would time out from the seventh."""
    stub = BotApiStub()
    server = StubHTTPServer(0, stub)  # bound and listening; nothing accepts yet
    request = (
        f"GET /bot{stub.token}/getMe HTTP/1.1\r\nHost: stub\r\nContent-Length: 0\r\n\r\n"
    ).encode()
    thread = None
    with contextlib.ExitStack() as stack:
        stack.callback(server.server_close)
        clients = []
        for _ in range(AT_ONCE):
            client = stack.enter_context(socket.create_connection(server.server_address, 5))
            client.sendall(request)
            clients.append(client)

        thread = serve_in_thread(server)
        stack.callback(thread.join)
        stack.callback(server.close_all)
        stack.callback(server.shutdown)
        answers = []
        for client in clients:
            with client.makefile("rb") as answer:
                answers.append(answer.readline())

    assert answers == [b"HTTP/1.1 200 OK\r\n"] * AT_ONCE
    assert len(stub.calls_to("getMe")) == AT_ONCE


def test_largest_burst_counts_the_fullest_window_closed_at_both_ends() -> None:
    from testkit.botapi_stub import largest_burst

    assert largest_burst([]) == 0
    assert largest_burst([0.0, 0.5, 1.0, 1.01, 3.0]) == 3  # 0.0-1.0 holds three; so does 0.5-1.01
    assert largest_burst([0.0, 30.0, 59.0, 61.0], seconds=60.0) == 3
