"""A fake bridge connector for tests and benchmarks, speaking the documented contract for real.

`Connector` posts signed updates to the bot (the inbound half); `Receiver` is an HTTP server
on 127.0.0.1 that takes the bot's signed deliveries (the outbound half), checks their
signature, dedupes them by delivery_id as docs/bridge.md asks, and can be scripted to fail.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

from bot.platforms.bridge.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, matches, signed_headers


class _Server(ThreadingHTTPServer):
    request_queue_size = 512  # the default 5 drops connections under a benchmark's load


@dataclass
class Reply:
    """How the receiver answers one post: a status, or a hang (delivered, answer too late)."""

    status: int = 200
    body: dict | None = None
    headers: dict[str, str] = field(default_factory=dict)
    hang: float = 0.0  # seconds to wait before answering (after delivering)


@dataclass
class Post:
    """One request the receiver got."""

    body: dict
    signed: bool
    status: int
    at: float  # time.monotonic() on arrival

    @property
    def delivery_id(self) -> str:
        return self.body.get("delivery_id", "")


class Receiver:
    """The connector's outbound receiver: every post recorded, 2xx ones delivered once each."""

    def __init__(self, secret: str, port: int = 0) -> None:
        self.secret = secret
        self.port = port
        self.posts: list[Post] = []
        self.delivered: dict[str, dict] = {}  # delivery_id -> body, first 2xx only
        self.duplicates = 0  # 2xx posts whose delivery_id was already delivered
        self.script: list[Reply] = []  # next answers, in order; then 200
        self._ids = itertools.count(1)
        self._changed = threading.Condition()
        self._server: ThreadingHTTPServer | None = None
        self._open: set[socket.socket] = set()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/outbound"

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as a real connector would

            def setup(self) -> None:
                super().setup()
                receiver._open.add(self.connection)

            def finish(self) -> None:
                receiver._open.discard(self.connection)
                super().finish()

            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                receiver._handle(self)

            def log_message(self, *args) -> None:
                return None

        server = _Server(("127.0.0.1", self.port), Handler)
        server.daemon_threads = True
        self.port = server.server_address[1]
        self._server = server
        threading.Thread(target=server.serve_forever, daemon=True, name="receiver").start()
        return self

    def stop(self) -> None:
        """Go down (connections refused) until start() again, on the same port."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        for connection in list(self._open):  # kept-alive connections go down too
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def __enter__(self) -> Receiver:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        raw = request.rfile.read(int(request.headers.get("Content-Length", 0)))
        signed = matches(
            self.secret,
            request.headers.get(TIMESTAMP_HEADER, ""),
            raw,
            request.headers.get(SIGNATURE_HEADER, ""),
        )
        body = json.loads(raw)
        with self._changed:
            reply = self.script.pop(0) if self.script else Reply()
            if not signed:
                reply = Reply(401, {"error": "bad_signature", "message": "signature"})
            if reply.status < 300:
                if body["delivery_id"] in self.delivered:
                    self.duplicates += 1
                else:
                    self.delivered[body["delivery_id"]] = body
            self.posts.append(Post(body, signed, reply.status, time.monotonic()))
            self._changed.notify_all()
        if reply.hang:
            time.sleep(reply.hang)
        answer = reply.body
        if answer is None and reply.status < 300 and body.get("action") == "send":
            answer = {"message_id": f"bot-{next(self._ids)}"}
        data = json.dumps(answer or {}).encode()
        try:
            request.send_response(reply.status)
            for name, value in {"Content-Type": "application/json", **reply.headers}.items():
                request.send_header(name, value)
            request.send_header("Content-Length", str(len(data)))
            request.end_headers()
            request.wfile.write(data)
        except OSError:
            pass  # the bot gave up waiting: that is what a hang is for

    def sends(self, chat_id: str | None = None) -> list[dict]:
        """Delivered `send` bodies (to one chat), in arrival order."""
        return [
            b
            for b in self.delivered.values()
            if b["action"] == "send" and (chat_id is None or b["chat_id"] == chat_id)
        ]

    async def wait_for(self, predicate, timeout: float = 10.0):
        """Until predicate() is truthy; checked as posts arrive."""
        deadline = time.monotonic() + timeout
        while not (result := predicate()):
            if time.monotonic() > deadline:
                raise TimeoutError("the receiver did not see what was expected")
            await asyncio.sleep(0.01)
        return result


class Connector:
    """The connector's inbound side: signed updates posted to the bot."""

    def __init__(self, bot_url: str, secret: str, platform: str = "mocha") -> None:
        self.url = bot_url.rstrip("/") + "/bridge/v1/updates"
        self.secret = secret
        self.platform = platform
        self._ids = itertools.count(1)
        self.http = httpx.AsyncClient(timeout=10.0)

    async def close(self) -> None:
        await self.http.aclose()

    async def __aenter__(self) -> Connector:
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()  # a failed test too: its kept-alive connection is not left open

    async def post_raw(self, body: bytes, headers: dict[str, str] | None = None) -> httpx.Response:
        """Post as a connector should: a network error is retried (a 409 then means it got in)."""
        for attempt in range(3):
            sent = {"Content-Type": "application/json"}
            sent.update(signed_headers(self.secret, body) if headers is None else headers)
            try:
                return await self.http.post(self.url, content=body, headers=sent)
            except httpx.TransportError:
                if attempt == 2:
                    raise
                await asyncio.sleep(0.1)
        raise AssertionError("unreachable")

    async def post(self, update: dict, **overrides) -> httpx.Response:
        """Sign and post one update dict (platform and timestamp filled in)."""
        update = {"platform": self.platform, "timestamp": int(time.time()), **update, **overrides}
        return await self.post_raw(json.dumps(update, ensure_ascii=False).encode())

    async def say(
        self, chat_id: str, user_id: str, text: str, chat_type: str = "private", **extra
    ) -> tuple[str, httpx.Response]:
        """A member writes; returns the message id used and the bot's answer to the post."""
        message_id = extra.pop("message_id", f"in-{next(self._ids)}")
        response = await self.post(
            {
                "type": "message",
                "chat_id": chat_id,
                "chat_type": chat_type,
                "user_id": user_id,
                "display_name": f"Đảng viên {user_id}",
                "message_id": message_id,
                "text": text,
                **extra,
            }
        )
        return message_id, response
