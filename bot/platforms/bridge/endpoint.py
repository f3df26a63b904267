"""POST /bridge/v1/updates: check size, signature, freshness, JSON, schema and replay, then
hand the update to the same Assistant the Telegram adapter uses (in the background: 202)."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Mapping

from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse

from bot.assistant.core import Assistant
from bot.chat import Platform
from bot.platforms.bridge import inbound
from bot.platforms.bridge.directory import PrivateChats
from bot.platforms.bridge.replay import ReplayGuard
from bot.platforms.bridge.schema import UPDATE, Accepted, MessageUpdate, PressUpdate, Problem
from bot.platforms.bridge.signing import (
    MAX_SKEW_SECONDS,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    find_signer,
    is_fresh,
    parse_timestamp,
)

log = logging.getLogger(__name__)

DEFAULT_MAX_BODY = 64 * 1024
Counter = Callable[[str, str], None]  # platform, outcome


class Refused(Exception):
    def __init__(self, status: int, error: str, message: str, details=None) -> None:
        super().__init__(message)
        self.status, self.error, self.details = status, error, details or []


class BridgeEndpoint:
    """The inbound half of the bridge for every configured connector."""

    def __init__(
        self,
        secrets: Mapping[str, str],
        platforms: Mapping[str, Platform],
        assistant: Assistant,
        guard: ReplayGuard,
        *,
        directory: PrivateChats | None = None,
        max_body: int = DEFAULT_MAX_BODY,
        count: Counter | None = None,
    ) -> None:
        self.secrets = dict(secrets)
        self.platforms = platforms  # name -> BridgePlatform, looked up per update
        self.assistant = assistant
        self.guard = guard
        self.directory = directory
        self.max_body = max_body
        self.count = count or (lambda platform, outcome: None)
        self._tasks: set[asyncio.Task] = set()

    async def receive(self, request: Request) -> JSONResponse:
        platform = "unknown"
        try:
            body = await self._body(request)
            platform = self._signer(request, body)
            update = _parse(body)
            if update.platform != platform:
                raise Refused(
                    403,
                    "platform_mismatch",
                    f"signed with the secret of '{platform}' but the update says "
                    f"'{update.platform}'",
                )
            kind, key = inbound.replay_key(update)
            # the store's own threads: never behind the questions being searched
            first = await self.guard.store.run(self.guard.first_time, platform, kind, key)
            if not first:
                raise Refused(
                    409, "duplicate", f"{kind} '{key}' of '{platform}' was already received"
                )
        except Refused as refusal:
            log.warning("bridge refused a request (%s): %s", refusal.error, refusal)
            self.count(platform, refusal.error)
            problem = Problem(error=refusal.error, message=str(refusal), details=refusal.details)
            return JSONResponse(problem.model_dump(), status_code=refusal.status)
        self.count(platform, "accepted")
        self._spawn(update)
        return JSONResponse(Accepted(type=kind, id=key).model_dump(), status_code=202)

    async def _body(self, request: Request) -> bytes:
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body:
            raise Refused(413, "too_large", f"body over {self.max_body} bytes")
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > self.max_body:
                raise Refused(413, "too_large", f"body over {self.max_body} bytes")
            chunks.append(chunk)
        return b"".join(chunks)

    def _signer(self, request: Request, body: bytes) -> str:
        raw_timestamp = request.headers.get(TIMESTAMP_HEADER)
        claimed = request.headers.get(SIGNATURE_HEADER)
        timestamp = parse_timestamp(raw_timestamp)
        if timestamp is None or not claimed:
            raise Refused(
                401,
                "missing_signature",
                f"{TIMESTAMP_HEADER} (Unix seconds) and {SIGNATURE_HEADER} (sha256=<hex>) "
                "are required",
            )
        signer = find_signer(self.secrets, str(raw_timestamp).strip(), body, claimed)
        if signer is None:
            raise Refused(
                401,
                "bad_signature",
                "signature does not match: HMAC-SHA256(secret, timestamp + '.' + raw body)",
            )
        if not is_fresh(timestamp):
            raise Refused(
                401,
                "stale_timestamp",
                f"{TIMESTAMP_HEADER} is more than {MAX_SKEW_SECONDS} s away from the bot's clock",
            )
        return signer

    def _spawn(self, update) -> None:
        task = asyncio.create_task(self._handle(update), name=f"bridge-{update.type}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _handle(self, update) -> None:
        platform = self.platforms[update.platform]
        try:
            private = isinstance(update, MessageUpdate) and update.chat_type == "private"
            if private and self.directory is not None:  # where to reach this member later
                await asyncio.to_thread(
                    self.directory.note, update.platform, update.user_id, update.chat_id
                )
            if isinstance(update, MessageUpdate):
                await self.assistant.handle_message(inbound.message(update), platform)
            elif isinstance(update, PressUpdate):
                await self.assistant.handle_press(inbound.press(update), platform)
            else:
                await self.assistant.handle_membership(inbound.membership(update))
        except Exception:  # one bad update must not take the bridge down
            log.exception("handling a %s update from %s failed", update.type, update.platform)

    async def drain(self, timeout: float = 10.0) -> None:
        """Let updates being handled finish (at shutdown); cancel what is left after `timeout`."""
        if not self._tasks:
            return
        done, pending = await asyncio.wait(set(self._tasks), timeout=timeout)
        for task in pending:
            task.cancel()
        if pending:
            log.warning("%d bridge updates cancelled at shutdown", len(pending))
            await asyncio.gather(*pending, return_exceptions=True)


def _parse(body: bytes):
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Refused(400, "malformed_json", f"body is not valid UTF-8 JSON: {exc}") from None
    try:
        return UPDATE.validate_python(data)
    except ValidationError as exc:
        details = [
            {"loc": [str(p) for p in e["loc"]], "msg": e["msg"], "type": e["type"]}
            for e in exc.errors(include_url=False, include_context=False, include_input=False)
        ]
        first = details[0] if details else {"loc": [], "msg": "invalid"}
        where = ".".join(first["loc"]) or "body"
        raise Refused(
            422, "invalid_update", f"not a valid update: {where}: {first['msg']}", details
        ) from None
