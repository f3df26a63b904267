"""bot.server.serve.HttpServer: a start that fails leaves no socket open behind it."""

from __future__ import annotations

import contextlib
import gc
import socket
import warnings

import pytest

from bot.server.serve import HttpServer


async def app(scope, receive, send):  # the smallest ASGI app: the test never reaches it
    raise AssertionError("not served")


@contextlib.contextmanager
def sockets_dropped_open():
    """The ResourceWarnings given in the block and by a collection after it: one per socket
    left for the garbage collector to close. Recorded to be asserted on; without this,
    pyproject's filterwarnings = error turns each into an error in whatever test runs when
    the collector does."""
    gc.collect()  # earlier tests' garbage is not this block's
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always", ResourceWarning)
        dropped: list[str] = []
        yield dropped
        gc.collect()
    dropped += [str(w.message) for w in seen if issubclass(w.category, ResourceWarning)]


async def test_a_busy_port_fails_the_start_loudly_and_closes_its_socket():
    with sockets_dropped_open() as dropped:
        with socket.create_server(("127.0.0.1", 0)) as taken:
            server = HttpServer(app, port=taken.getsockname()[1])
            with pytest.raises(OSError):
                await server.start()
        await server.stop()  # safe after a failed start: nothing left to stop
    assert dropped == []
