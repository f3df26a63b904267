"""A pytest plugin: where a socket reported unclosed was made.

A socket dropped while open is closed by the garbage collector, which warns (an error here:
filterwarnings = error). In a reference cycle that happens at the next full collection, in
whatever test is running then, and the report names only the socket. This plugin remembers,
for every socket, the test that was running and the stack that made it, and adds both to
that report. tracemalloc would tell the same (PYTHONTRACEMALLOC=25) at many times the cost.
"""

from __future__ import annotations

import socket
import sys
import threading
import traceback

import pytest

_MADE: dict[int, str] = {}  # id(socket) -> where; a new socket at the same id replaces it
_running = ["(no test)"]
_wrapped = socket.socket.__init__


def _remembering_init(self: socket.socket, *args: object, **kwargs: object) -> None:
    _wrapped(self, *args, **kwargs)
    # the 14 innermost frames above this one: enough to pass asyncio, httpx or socketserver
    stack = "".join(traceback.format_list(traceback.extract_stack(limit=15)[:-1]))
    thread = threading.current_thread().name
    _MADE[id(self)] = f"made during {_running[0]} in thread {thread}:\n{stack}"


def _with_origin(previous):
    def hook(unraisable: sys.UnraisableHookArgs) -> None:
        where = _MADE.get(id(unraisable.object))
        if isinstance(unraisable.object, socket.socket) and where:
            err_msg = f"{unraisable.err_msg or 'Exception ignored in'} (socket {where})"
            unraisable = type(unraisable)(
                (
                    unraisable.exc_type,
                    unraisable.exc_value,
                    unraisable.exc_traceback,
                    err_msg,
                    unraisable.object,
                )
            )
        previous(unraisable)

    return hook


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    # after pytest's own unraisable-exception plugin has put its hook in place
    socket.socket.__init__ = _remembering_init
    sys.unraisablehook = _with_origin(sys.unraisablehook)


def pytest_unconfigure(config: pytest.Config) -> None:
    socket.socket.__init__ = _wrapped


def pytest_runtest_setup(item: pytest.Item) -> None:
    _running[0] = item.nodeid
