"""Posting to a connector: signed, retried while it is surely safe, outcomes as DeliveryErrors.

connector answer                          -> result
2xx                                       -> the Receipt
429 (Retry-After)                         -> RetryLater: nothing was delivered
410, or 404 with error chat_not_found     -> ChatGone: the chat is no more
other 4xx                                 -> Rejected: retrying will not help
5xx, connect error, pool timeout          -> retried (same delivery_id) after 0.5 s, 1 s, 2 s …
                                             or the Retry-After; still failing -> Unreachable
read/write timeout, connection dropped    -> Uncertain: it may have been delivered; never resent
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass

import httpx

from bot.errors import ChatGone, Rejected, RetryLater, Uncertain, Unreachable
from bot.platforms.bridge.schema import Delivery, Receipt
from bot.platforms.bridge.signing import signed_headers

log = logging.getLogger(__name__)

GONE_CODES = frozenset({"chat_not_found", "chat_gone", "bot_removed", "blocked"})


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 3  # in all, for 5xx and connection errors
    backoff: float = 0.5  # seconds, doubled per attempt (exactly: docs/bridge.md says so)
    max_wait: float = 10.0  # a longer Retry-After is handed up as RetryLater instead
    timeout: float = 10.0  # read timeout: past it the outcome is uncertain
    connect_timeout: float = 3.0


class ConnectorClient:
    """One httpx client per connector URL; `post` delivers one Delivery."""

    def __init__(
        self,
        url: str,
        secret: str,
        policy: RetryPolicy | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.url = url
        self.secret = secret
        self.policy = policy or RetryPolicy()
        p = self.policy
        self._http = httpx.AsyncClient(
            timeout=httpx.Timeout(p.timeout, connect=p.connect_timeout, pool=p.connect_timeout),
            limits=httpx.Limits(max_connections=100, max_keepalive_connections=20),
            transport=transport,
        )

    async def close(self) -> None:
        await self._http.aclose()

    async def post(self, delivery: Delivery) -> Receipt:
        """Deliver, retrying 5xx and connection errors; raises a DeliveryError otherwise."""
        p = self.policy
        for attempt in range(1, p.attempts + 1):
            delivery.attempt = attempt
            body = delivery.model_dump_json(exclude_none=True).encode()
            headers = {"Content-Type": "application/json", **signed_headers(self.secret, body)}
            try:
                response = await self._http.post(self.url, content=body, headers=headers)
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
                failure: Exception = Unreachable(f"không kết nối được tới cầu nối: {_name(exc)}")
                wait = self._backoff(attempt)
            except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as exc:
                # the request left: a retry could deliver a second copy
                raise Uncertain(f"cầu nối không trả lời: {_name(exc)}") from exc
            else:
                status = response.status_code
                if status < 300:
                    return _receipt(response)
                if status == 429:
                    raise RetryLater(_retry_after(response) or 1.0, _describe(response))
                if status < 500:
                    if status == 410 or (status == 404 and _code(response) in GONE_CODES):
                        raise ChatGone(_describe(response))
                    raise Rejected(_describe(response))
                failure = Unreachable(_describe(response))
                wait = _retry_after(response) or self._backoff(attempt)
                if wait > p.max_wait:
                    raise RetryLater(wait, _describe(response))
            if attempt == p.attempts:
                raise failure
            log.info(
                "%s to %s: %s; retry %d in %.1fs",
                delivery.action,
                delivery.chat_id,
                failure,
                attempt + 1,
                wait,
            )
            await asyncio.sleep(wait)
        raise AssertionError("unreachable")

    def _backoff(self, attempt: int) -> float:
        # No jitter: one bot is one client, not a herd, and a connector author can count on
        # the documented delays.
        return self.policy.backoff * 2 ** (attempt - 1)


def _name(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _json(response: httpx.Response) -> dict:
    try:
        data = json.loads(response.content or b"{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _receipt(response: httpx.Response) -> Receipt:
    data = _json(response)
    message_id = data.get("message_id")
    return Receipt(message_id=str(message_id) if message_id not in (None, "") else None)


def _code(response: httpx.Response) -> str:
    return str(_json(response).get("error", "")).lower()


def _describe(response: httpx.Response) -> str:
    data = _json(response)
    detail = data.get("message") or data.get("error") or response.text[:200]
    return f"HTTP {response.status_code}: {detail}".strip().rstrip(":")


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "").strip()
    try:
        return max(float(value), 0.0) if value else None
    except ValueError:
        return None  # an HTTP date: rare from a connector; the backoff applies instead
