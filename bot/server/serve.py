"""uvicorn inside the bot's own event loop: started and stopped by the bot, not by signals."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket

import uvicorn

log = logging.getLogger(__name__)


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self):
        # the bot handles SIGTERM/SIGINT itself and stops every part in order
        yield


class HttpServer:
    """Serves an ASGI app on host:port (port 0: any free port, see `port` after start)."""

    def __init__(self, app, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = app
        self.host = host
        self.port = port
        self._server: _Server | None = None
        self._task: asyncio.Task | None = None
        self._socket: socket.socket | None = None

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
        return f"http://{host}:{self.port}"

    async def start(self) -> None:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        # proto given explicitly: asyncio turns Nagle off only on sockets that say TCP, and
        # with it on every keep-alive request waited 40 ms for a delayed ACK
        self._socket = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        try:
            await self._serve(self._socket)
        except BaseException:
            # the caller has nothing to stop after a failed start: nothing may stay open
            # (a socket dropped open is closed only by the garbage collector, some time later)
            with contextlib.suppress(Exception):
                await self.stop()
            raise

    async def _serve(self, sock: socket.socket) -> None:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))  # bound here: a busy port fails the start loudly
        sock.set_inheritable(True)
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            self.app,
            lifespan="off",
            log_level="warning",
            access_log=False,
            timeout_graceful_shutdown=5,
            timeout_keep_alive=75,  # connectors reuse connections; 5 s made them race a close
            backlog=1024,
        )
        self._server = _Server(config)
        self._task = asyncio.create_task(self._server.serve(sockets=[sock]), name="http-server")
        while not self._server.started:
            if self._task.done():
                self._task.result()  # raises what stopped it
                raise RuntimeError("the HTTP server stopped during start")
            await asyncio.sleep(0.01)
        log.info("HTTP server listening on %s:%d", self.host, self.port)

    async def stop(self) -> None:
        if self._server is not None and self._task is not None:
            self._server.should_exit = True
            try:
                await asyncio.wait_for(self._task, 15)
            except TimeoutError:
                log.warning("HTTP server did not stop in time")
        self._server = self._task = None
        if self._socket is not None:
            self._socket.close()
            self._socket = None
