"""A Telegram Bot API stub server on 127.0.0.1 for tests and benchmarks.

In-process (sync or async tests, benchmarks)::

    with BotApiStub() as stub:             # or: async with BotApiStub() as stub
        bot = telegram.Bot(stub.token, base_url=stub.base_url,
                           base_file_url=stub.base_file_url)

As its own process, driven through RemoteStub::

    python -m testkit.botapi_stub --port 0 --state calls.jsonl
    # first stdout line: {"port": ..., "base_url": ..., "control_url": ..., "token": ...}

Choices worth knowing:

- Text limits (4096, caption 1024) count code points of the text after HTML parsing;
  entity offsets are UTF-16 code units, as in the Bot API.
- parse_mode HTML is validated like tdlib (same error texts and byte offsets);
  Markdown and MarkdownV2 are accepted unvalidated and yield no entities.
- Flood limits are off until enforce_limits(); they then count sendMessage,
  sendPhoto and sendDocument: 30/s overall, 20/min per group, and optionally a
  per-chat rate that spares private chats unless per_chat_in_private=True.
- setWebhook is remembered (getUpdates then answers 409) but nothing is ever
  delivered to it; URLs given as photo/document are never fetched.
"""

from __future__ import annotations

import argparse
import base64
import json
import signal
import sys
import threading
from typing import Any

import httpx

from testkit._limits import ApiError, FloodLimits, largest_burst
from testkit._record import Call, load_calls, sent_messages_in
from testkit._stub import DEFAULT_TOKEN, BotApiStub
from testkit._world import ANONYMOUS_ADMIN_ID

__all__ = [
    "ANONYMOUS_ADMIN_ID",
    "DEFAULT_TOKEN",
    "ApiError",
    "BotApiStub",
    "Call",
    "FloodLimits",
    "RemoteStub",
    "largest_burst",
    "load_calls",
    "main",
    "sent_messages_in",
]


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"__b64__"}:
        return base64.b64decode(value["__b64__"])
    return value


class RemoteStub:
    """Drives a stub in another process: `remote.push_message(...)` posts to /_stub/."""

    def __init__(self, control_url: str, timeout: float = 30.0):
        self._url = control_url.rstrip("/")
        self._client = httpx.Client(timeout=timeout)

    def control(self, name: str, **kwargs: Any) -> Any:
        """Call one control method by name; bytes arguments travel as base64."""
        body = {
            (f"{k}_b64" if isinstance(v, bytes) else k): (
                base64.b64encode(v).decode() if isinstance(v, bytes) else v
            )
            for k, v in kwargs.items()
        }
        response = self._client.post(f"{self._url}/{name}", json=body)
        payload = response.json()
        if not payload.get("ok"):
            raise RuntimeError(f"stub control {name} failed: {payload.get('description')}")
        return _decode(payload["result"])

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return lambda **kwargs: self.control(name, **kwargs)

    @property
    def calls(self) -> list[Call]:
        """The remote stub's calls."""
        return [Call(**call) for call in self.control("calls")]

    def close(self) -> None:
        """Close the HTTP client."""
        self._client.close()

    def __enter__(self) -> RemoteStub:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def main(argv: list[str] | None = None) -> int:
    """Run the stub until SIGTERM or SIGINT; print its addresses as one JSON line."""
    parser = argparse.ArgumentParser(prog="python -m testkit.botapi_stub")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free)")
    parser.add_argument("--state", help="append every call to this JSON Lines file")
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    parser.add_argument("--bot-username", default="stub_bot")
    args = parser.parse_args(argv)
    done = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: done.set())
    stub = BotApiStub(
        args.token, port=args.port, record_path=args.state, bot_username=args.bot_username
    )
    with stub:
        print(json.dumps(stub.info()), flush=True)
        done.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
