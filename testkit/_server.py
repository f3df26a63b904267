"""The stub's HTTP side: a threading server on loopback and request decoding."""

from __future__ import annotations

import contextlib
import json
import re
import socket
import sys
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Protocol
from urllib.parse import parse_qsl, unquote, urlsplit

from testkit._world import UploadedFile

# Bot API parameters typed String: form values for them are never JSON-decoded, so a
# text of "123" stays a string (PTB sends strings raw and everything else JSON-encoded).
STRING_PARAMS = frozenset(
    "text caption parse_mode callback_query_id inline_message_id url secret_token "
    "language_code action file_id photo document sticker emoji title description "
    "business_connection_id message_effect_id ip_address certificate".split()
)
_DISPOSITION_PARAM = re.compile(r';\s*([\w*-]+)="((?:[^"\\]|\\.)*)"')
_ROUTE_API = re.compile(r"^/bot([^/]+)/([A-Za-z]+)$")
_ROUTE_FILE = re.compile(r"^/file/bot([^/]+)/(.+)$")
_ROUTE_CONTROL = re.compile(r"^/_stub/([a-z_0-9]+)$")


@dataclass
class Reply:
    """An HTTP answer; drop=True closes the connection without answering."""

    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    drop: bool = False

    @classmethod
    def json(cls, status: int, payload: object) -> Reply:
        """A JSON reply."""
        return cls(status, json.dumps(payload, ensure_ascii=False).encode())


class Backend(Protocol):
    """What the HTTP layer asks of the stub."""

    def serve_api(self, token: str, method: str, params: dict) -> Reply: ...
    def serve_file(self, token: str, path: str) -> Reply: ...
    def serve_control(self, name: str, kwargs: dict) -> Reply: ...


def _form_value(name: str, value: str) -> object:
    if name in STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _multipart(body: bytes, boundary: bytes) -> dict:
    """Decode multipart/form-data by hand: the stdlib `cgi` module is deprecated."""
    params: dict = {}
    for chunk in body.split(b"--" + boundary)[1:]:
        if chunk.startswith(b"--"):
            break
        head, _, content = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        content = content.removesuffix(b"\r\n")
        headers = {}
        for line in head.decode("utf-8", "replace").split("\r\n"):
            key, _, value = line.partition(":")
            headers[key.strip().lower()] = value.strip()
        disposition = dict(_DISPOSITION_PARAM.findall(headers.get("content-disposition", "")))
        name = disposition.get("name")
        if name is None:
            continue
        if "filename" in disposition:
            # httpx percent-escapes only the quote; the rest of the name is raw UTF-8.
            filename = unquote(disposition["filename"])
            params[name] = UploadedFile(filename, content, headers.get("content-type"))
        else:
            params[name] = _form_value(name, content.decode("utf-8", "replace"))
    return params


def decode_params(query: str, content_type: str, body: bytes) -> dict:
    """Request parameters from the query string and a form, multipart or JSON body."""
    params: dict = {k: _form_value(k, v) for k, v in parse_qsl(query, keep_blank_values=True)}
    kind = content_type.split(";")[0].strip().lower()
    if not body:
        return params
    if kind == "application/json":
        decoded = json.loads(body)
        if isinstance(decoded, dict):
            params.update(decoded)
    elif kind == "multipart/form-data":
        match = re.search(r'boundary="?([^";]+)"?', content_type)
        if match:
            params.update(_multipart(body, match.group(1).encode()))
    else:
        form = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
        params.update({k: _form_value(k, v) for k, v in form})
    return params


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as httpx pools connections
    # Headers and body go out as separate writes; with Nagle on, each answer waits ~40 ms
    # for the client's delayed ACK.
    disable_nagle_algorithm = True
    server: StubHTTPServer

    def setup(self) -> None:
        super().setup()
        self.server.track(self.connection, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.track(self.connection, add=False)

    def log_message(self, format: str, *args: object) -> None:
        # Silent: request lines carry the bot token.
        pass

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            parts = []
            while size := int(self.rfile.readline().split(b";")[0].strip() or b"0", 16):
                parts.append(self.rfile.read(size))
                self.rfile.readline()
            while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                pass
            return b"".join(parts)
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _dispatch(self) -> None:
        body = self._body()
        url = urlsplit(self.path)
        # PTB percent-encodes file URLs, the ':' of the token included.
        path = unquote(url.path)
        backend = self.server.backend
        try:
            if match := _ROUTE_API.match(path):
                params = decode_params(url.query, self.headers.get("Content-Type", ""), body)
                reply = backend.serve_api(match.group(1), match.group(2), params)
            elif match := _ROUTE_FILE.match(path):
                reply = backend.serve_file(match.group(1), match.group(2))
            elif match := _ROUTE_CONTROL.match(path):
                kwargs = json.loads(body) if body else {}
                kwargs.update(dict(parse_qsl(url.query)))
                reply = backend.serve_control(match.group(1), kwargs)
            else:
                reply = Reply.json(
                    404, {"ok": False, "error_code": 404, "description": "Not Found"}
                )
        except ValueError as exc:
            reply = Reply.json(
                400, {"ok": False, "error_code": 400, "description": f"Bad Request: {exc}"}
            )
        self._send(reply)

    def _send(self, reply: Reply) -> None:
        if reply.drop:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)


class StubHTTPServer(ThreadingHTTPServer):
    """ThreadingHTTPServer that can cut its open keep-alive connections on stop."""

    daemon_threads = True
    # The listen backlog: connections the kernel holds until the accept thread takes them.
    # socketserver's default of 5 overflowed when a broadcast opened its 16 connections at
    # once and a loaded machine kept this thread waiting: Linux then sent SYN cookies and
    # reset what it could not queue, so a send failed with httpx.ReadError (and the engine
    # rightly recorded it `uncertain`). No real Bot API refuses a client that way.
    request_queue_size = 128

    def __init__(self, port: int, backend: Backend):
        self.backend = backend
        self._open: set[socket.socket] = set()
        self._handler_threads: set[threading.Thread] = set()
        self._guard = threading.Lock()
        super().__init__(("127.0.0.1", port), _Handler)

    def track(self, connection: socket.socket, add: bool) -> None:
        """Remember or forget an open client connection."""
        with self._guard:
            if add:
                self._open.add(connection)
                self._handler_threads.add(threading.current_thread())
            else:
                self._open.discard(connection)
                self._handler_threads.discard(threading.current_thread())

    @property
    def open_connections(self) -> int:
        """Client connections open now (kept alive or in a request)."""
        with self._guard:
            return len(self._open)

    def close_all(self, join_timeout: float = 2.0) -> None:
        """Cut every open connection and wait for the handler threads to end."""
        with self._guard:
            connections, threads = list(self._open), list(self._handler_threads)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        for thread in threads:
            thread.join(join_timeout)

    def handle_error(self, request: object, client_address: object) -> None:
        # A client that hung up mid-answer is normal here (timeouts are simulated).
        if isinstance(sys.exc_info()[1], OSError):
            return
        super().handle_error(request, client_address)


def serve_in_thread(server: StubHTTPServer) -> threading.Thread:
    """Run serve_forever in a daemon thread."""
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.name = f"botapi-stub-{server.server_address[1]}"
    thread.start()
    return thread
