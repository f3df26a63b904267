"""BotApiStub: a Bot API server on 127.0.0.1 that tests drive and inspect."""

from __future__ import annotations

import asyncio
import copy
import threading
from pathlib import Path

from testkit._feed import UpdateFeed
from testkit._methods import CANONICAL
from testkit._record import Call
from testkit._server import StubHTTPServer, serve_in_thread
from testkit._serving import Serving

DEFAULT_TOKEN = "123456789:AAStubTokenForLocalTestsOnly_0123456"


class BotApiStub(UpdateFeed, Serving):
    """A fake Telegram Bot API over real HTTP; every control method is thread-safe."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        port: int = 0,
        record_path: str | Path | None = None,
        bot_username: str = "stub_bot",
        bot_first_name: str = "Stub Bot",
    ):
        bot_user = {
            "id": int(token.split(":")[0]),
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        super().__init__(token, bot_user, record_path)
        self._requested_port = port
        self._server: StubHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------

    def start(self) -> BotApiStub:
        """Bind 127.0.0.1 and serve in a background thread."""
        if self._record_path:
            self._record_file = self._record_path.open("a", encoding="utf-8")
        self._stopping.clear()
        self._server = StubHTTPServer(self._requested_port, self)
        self._thread = serve_in_thread(self._server)
        return self

    def stop(self) -> None:
        """Wake every waiting request, close connections and stop serving."""
        self._stopping.set()
        with self._lock:
            self._notify()
        if self._server is not None:
            self._server.shutdown()
            self._server.close_all()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        with self._lock:
            if self._record_file is not None:
                self._record_file.close()
                self._record_file = None

    def __enter__(self) -> BotApiStub:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    async def __aenter__(self) -> BotApiStub:
        return self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await asyncio.to_thread(self.stop)

    # -- addresses and identity ----------------------------------------------------------

    @property
    def port(self) -> int:
        """The bound port."""
        if self._server is None:
            raise RuntimeError("the stub is not started")
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        """http://127.0.0.1:PORT."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """What to pass to ApplicationBuilder().base_url() or Bot(base_url=...)."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """What to pass to ApplicationBuilder().base_file_url() or Bot(base_file_url=...)."""
        return f"{self.url}/file/bot"

    @property
    def bot_user(self) -> dict:
        """The bot's User object, as getMe answers it."""
        return dict(self._world.bot_user)

    @property
    def bot_id(self) -> int:
        """The bot's user id (the number before the colon of the token)."""
        return int(self._world.bot_user["id"])

    def info(self) -> dict:
        """Addresses and identity, for a process that drives the stub remotely."""
        return {
            "port": self.port,
            "base_url": self.base_url,
            "base_file_url": self.base_file_url,
            "control_url": f"{self.url}/_stub",
            "token": self.token,
            "bot_user": self.bot_user,
        }

    # -- what the bot did ----------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        """Every request so far, failed ones included, in the order they were answered."""
        with self._lock:
            return list(self._calls)

    def calls_to(self, method: str) -> list[Call]:
        """The recorded calls of one method (any case)."""
        name = CANONICAL.get(method.lower(), method)
        return [call for call in self.calls if call.method == name]

    def clear_calls(self) -> None:
        """Forget recorded calls (the record file keeps them)."""
        with self._lock:
            self._calls.clear()

    def sent_messages(self, chat_id: int | None = None) -> list[dict]:
        """Messages the bot delivered, in order, as they are now (edits applied)."""
        with self._lock:
            return [
                copy.deepcopy(message)
                for message in self._world.delivered
                if chat_id is None or message["chat"]["id"] == chat_id
            ]

    def message(self, chat_id: int, message_id: int) -> dict | None:
        """A message as it is now, or None (unknown or deleted)."""
        with self._lock:
            return copy.deepcopy(self._world.messages.get(chat_id, {}).get(message_id))

    def file_bytes(self, file_id: str) -> bytes:
        """The bytes behind a file_id (uploaded by the bot or pushed by a test)."""
        with self._lock:
            return self._world.files[file_id].content

    @property
    def callback_answers(self) -> dict[str, dict]:
        """answerCallbackQuery params by callback_query_id."""
        with self._lock:
            return copy.deepcopy(self._world.answered_callbacks)

    @property
    def pending_updates(self) -> list[dict]:
        """Updates queued and not yet confirmed by an offset."""
        with self._lock:
            return copy.deepcopy(self._world.updates)

    @property
    def waiting_polls(self) -> int:
        """How many getUpdates requests are waiting right now (the bot is polling)."""
        with self._lock:
            return self._waiting_polls

    @property
    def open_connections(self) -> int:
        """How many client connections are open to the stub now (0 when it is stopped)."""
        server = self._server
        return server.open_connections if server is not None else 0

    @property
    def count_429(self) -> int:
        """How many 429 answers the stub gave."""
        with self._lock:
            return self._count_429
