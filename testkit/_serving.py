"""How the stub answers requests, and the faults and limits tests can inject."""

from __future__ import annotations

import base64
import copy
import json
import random
import time
from dataclasses import dataclass

from testkit._core import StubCore
from testkit._limits import ApiError, Fault, FloodControl, FloodLimits, too_many_requests
from testkit._methods import CANONICAL, METHODS
from testkit._record import Call, dumps
from testkit._server import Reply

DEFAULT_DESCRIPTIONS = {
    400: "Bad Request: chat not found",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running",
    500: "Internal Server Error",
    502: "Bad Gateway",
}
CONTROL_NAMES = frozenset(
    "push_update push_message push_callback push_document push_sticker push_my_chat_member "
    "add_chat set_chat_member_status fail_next block_chat unblock_chat delay "
    "timeout_after_accept enforce_limits disable_limits sent_messages message clear_calls "
    "wait_for calls count_429 pending_updates waiting_polls info file_bytes "
    "network random_faults injected".split()
)
SENDING = frozenset({"sendMessage", "sendPhoto", "sendDocument"})


@dataclass(frozen=True)
class Network:
    """A round trip of `seconds` ± `jitter`, each way drawn on its own (half each)."""

    seconds: float
    jitter: float

    def leg(self, rng: random.Random) -> float:
        return max(rng.uniform(self.seconds - self.jitter, self.seconds + self.jitter) / 2, 0.0)


@dataclass(frozen=True)
class RandomFaults:
    """Answer a share of sends 429 (retry_after drawn from a range) or 5xx, doing nothing."""

    share_429: float
    retry_after: tuple[int, int]
    share_5xx: float


class Serving(StubCore):
    """Fault injection, flood limits and the answers to HTTP requests."""

    def fail_next(
        self,
        method: str,
        chat_id: int | str | None = None,
        error_code: int = 403,
        description: str | None = None,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next `times` matching requests with an error, doing nothing."""
        if error_code == 429:
            error = too_many_requests(retry_after or 5)
            error.description = description or error.description
        else:
            text = description or DEFAULT_DESCRIPTIONS.get(error_code, "Error")
            error = ApiError(error_code, text, retry_after)
        with self._lock:
            self._faults.append(Fault(method.lower(), chat_id, times, error))

    def timeout_after_accept(
        self,
        method: str,
        chat_id: int | str | None = None,
        times: int = 1,
        *,
        hang_seconds: float = 30.0,
        close: bool = False,
    ) -> None:
        """Carry out the next matching requests, then never answer them.

        The stub holds the connection for `hang_seconds` (or until it stops), so the
        client hits its read timeout (PTB: TimedOut); with close=True it hangs up at once
        instead (PTB: NetworkError). Either way the message counts as delivered.
        """
        fault = Fault(method.lower(), chat_id, times, hang_seconds=hang_seconds, close=close)
        with self._lock:
            self._faults.append(fault)

    def block_chat(self, chat_id: int) -> None:
        """Every send to the chat gets 403 (blocked by the user / kicked from the group)."""
        with self._lock:
            self._world.blocked.add(chat_id)

    def unblock_chat(self, chat_id: int) -> None:
        """Undo block_chat."""
        with self._lock:
            self._world.blocked.discard(chat_id)

    def network(self, seconds: float = 0.15, jitter: float = 0.05, seed: int | None = None) -> None:
        """Every request travels half a round trip of `seconds` ± `jitter` each way, as
        from Vietnam to Telegram; a call is recorded (and counted by the flood limits)
        when it arrives. seconds=0 removes it."""
        with self._lock:
            self._network = Network(seconds, jitter) if seconds > 0 else None
            self._rng = random.Random(seed)

    def random_faults(
        self,
        share_429: float = 0.02,
        retry_after: tuple[int, int] | list[int] = (1, 5),
        share_5xx: float = 0.01,
        seed: int | None = None,
    ) -> None:
        """Answer a random share of sends 429 and another 5xx (both deliver nothing).

        `injected` counts them by status, apart from the flood limits' own 429s."""
        low, high = retry_after
        with self._lock:
            self._random_faults = RandomFaults(share_429, (low, high), share_5xx)
            self._fault_rng = random.Random(seed)

    @property
    def injected(self) -> dict[str, int]:
        """Answers random_faults made up, by status code."""
        with self._lock:
            return dict(self._injected)

    def _random_fault(self, name: str) -> ApiError | None:
        faults = self._random_faults
        if faults is None or name not in SENDING:
            return None
        draw = self._fault_rng.random()
        if draw < faults.share_429:
            error = too_many_requests(self._fault_rng.randint(*faults.retry_after))
        elif draw < faults.share_429 + faults.share_5xx:
            error = ApiError(502, "Bad Gateway")
        else:
            return None
        self._injected[str(error.code)] = self._injected.get(str(error.code), 0) + 1
        return error

    def _leg(self) -> float:
        with self._lock:
            network = self._network
            return network.leg(self._rng) if network is not None else 0.0

    def delay(self, method: str, seconds: float) -> None:
        """Answer every request of a method `seconds` late (0 removes the delay)."""
        name = CANONICAL.get(method.lower(), method)
        with self._lock:
            self._delays[name] = seconds

    def enforce_limits(
        self,
        global_per_sec: int | None = 30,
        per_group_per_min: int | None = 20,
        per_chat_per_sec: float | None = None,
        per_chat_in_private: bool = False,
    ) -> None:
        """Answer 429 with a window-derived retry_after once a flood limit is exceeded.

        Limits count sendMessage, sendPhoto and sendDocument that would be delivered.
        per_chat_per_sec is off by default and, when set, spares private chats unless
        per_chat_in_private (Telegram tolerates short reply bursts in private chats).
        """
        limits = FloodLimits(
            global_per_sec, per_group_per_min, per_chat_per_sec, per_chat_in_private
        )
        with self._lock:
            self._world.flood = FloodControl(limits)

    def disable_limits(self) -> None:
        """Stop enforcing flood limits."""
        with self._lock:
            self._world.flood = None

    def _take_fault(self, method: str, params: dict) -> Fault | None:
        for fault in self._faults:
            if fault.matches(method, params):
                fault.times -= 1
                return fault
        return None

    def _get_updates(self, params: dict) -> list[dict]:
        world = self._world
        if world.webhook["url"]:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        # A newer poll ends an older one with 409, as Telegram does.
        self._poll_generation += 1
        generation = self._poll_generation
        if params.get("offset") is not None:
            world.confirm_below(int(params["offset"]))
        allowed = params.get("allowed_updates")
        if isinstance(allowed, str):
            allowed = json.loads(allowed)
        if isinstance(allowed, list):
            world.allowed_updates = allowed or None
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        self._waiting_polls += 1
        self._notify()
        try:
            while True:
                if generation != self._poll_generation:
                    raise ApiError(409, DEFAULT_DESCRIPTIONS[409])
                if batch := world.deliverable(limit):
                    return copy.deepcopy(batch)
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._stopping.is_set():
                    return []
                self._changed.wait(remaining)
        finally:
            self._waiting_polls -= 1

    def serve_api(self, token: str, method: str, params: dict) -> Reply:
        """Answer /bot<token>/<method>."""
        if way_out := self._leg():
            self._stopping.wait(way_out)
        arrived = time.time()
        name = CANONICAL.get(method.lower(), method)
        if delay := self._delays.get(name):
            self._stopping.wait(delay)
        with self._lock:
            fault = self._take_fault(name, params) if token == self.token else None
            try:
                if token != self.token:
                    raise ApiError(401, "Unauthorized")
                if fault is not None and fault.error is not None:
                    raise fault.error
                if made_up := self._random_fault(name):
                    raise made_up
                if name == "getUpdates":
                    result: object = self._get_updates(params)
                elif name in METHODS:
                    result = METHODS[name](self._world, params)
                else:
                    raise ApiError(404, "Not Found: method not found")
                status, payload = 200, {"ok": True, "result": result}
            except ApiError as exc:
                status, payload = exc.code, exc.payload()
            except Exception as exc:  # a stub bug must reach the test, not kill the thread
                self.errors.append(exc)
                description = f"Internal Server Error: stub failed: {exc!r}"
                status, payload = 500, ApiError(500, description).payload()
            self._count_429 += status == 429
            body = dumps(payload)
            hang = fault if fault is not None and fault.error is None else None
            self._record(Call(name, params, arrived, status, json.loads(body), hang is None))
        if hang is not None:
            if not hang.close:
                self._stopping.wait(hang.hang_seconds)
            return Reply(drop=True)
        if way_back := self._leg():
            self._stopping.wait(way_back)
        return Reply(status, body.encode())

    def serve_file(self, token: str, path: str) -> Reply:
        """Answer /file/bot<token>/<file_path> with the stored bytes."""
        with self._lock:
            stored = self._world.file_by_path(path) if token == self.token else None
            response = {"ok": True} if stored else ApiError(404, "Not Found").payload()
            call = Call("downloadFile", {"file_path": path}, time.time(), 200, response)
            self._record(call if stored else Call(**{**call.__dict__, "status": 404}))
        if stored is None:
            return Reply.json(404, response)
        return Reply(200, stored.content, "application/octet-stream")

    def serve_control(self, name: str, kwargs: dict) -> Reply:
        """Answer /_stub/<name>: the control methods, for a stub in another process."""
        if name not in CONTROL_NAMES:
            return Reply.json(404, {"ok": False, "description": f"no control {name!r}"})
        for key in [k for k in kwargs if k.endswith("_b64")]:
            kwargs[key.removesuffix("_b64")] = base64.b64decode(kwargs.pop(key))
        try:
            target = getattr(self, name)
            result = target(**kwargs) if callable(target) else target
        except TimeoutError as exc:
            return Reply.json(408, {"ok": False, "description": str(exc)})
        except (TypeError, ValueError, KeyError) as exc:
            return Reply.json(400, {"ok": False, "description": repr(exc)})
        except Exception as exc:  # reported to the remote caller rather than lost in a thread
            return Reply.json(500, {"ok": False, "description": repr(exc)})
        return Reply(200, dumps({"ok": True, "result": result}).encode())
