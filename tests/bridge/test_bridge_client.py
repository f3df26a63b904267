"""The outbound client's outcome mapping, over httpx's MockTransport (no network)."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from bot.chat import Button, Capabilities, OutgoingMessage
from bot.errors import ChatGone, Rejected, RetryLater, Uncertain, Unreachable
from bot.platforms.bridge.client import ConnectorClient, RetryPolicy
from bot.platforms.bridge.platform import BridgePlatform
from bot.platforms.bridge.signing import matches

SECRET = "client-test-secret-0123"
FAST = RetryPolicy(attempts=3, backoff=0.01, max_wait=5.0, timeout=1.0)


def platform_answering(*answers, seen: list | None = None) -> BridgePlatform:
    """A BridgePlatform whose connector answers with `answers` in turn (responses or errors)."""
    queue = list(answers)

    def handle(request: httpx.Request) -> httpx.Response:
        body = request.read()
        assert matches(
            SECRET,
            request.headers["X-Bridge-Timestamp"],
            body,
            request.headers["X-Bridge-Signature"],
        )
        if seen is not None:
            seen.append(json.loads(body))
        answer = queue.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    client = ConnectorClient("http://connector/out", SECRET, FAST, httpx.MockTransport(handle))
    return BridgePlatform("mocha", client, Capabilities())


def reply(status: int, body: dict | None = None, **headers: str) -> httpx.Response:
    return httpx.Response(
        status, json=body or {}, headers={k.replace("_", "-"): v for k, v in headers.items()}
    )


async def send(platform: BridgePlatform) -> str:
    message = OutgoingMessage(
        "<b>Chào</b> &amp; <a href='https://a.vn'>xem</a>", buttons=((Button("👍", data="v:1:1"),),)
    )
    sent = await platform.send("c1", message, reply_to="m7")
    return sent.message_id


async def test_a_send_carries_plain_and_html_text_and_returns_the_connector_id():
    seen: list = []
    assert await send(platform_answering(reply(200, {"message_id": 42}), seen=seen)) == "42"
    [body] = seen
    assert body["text"] == "Chào & xem (https://a.vn)" and body["html"].startswith("<b>")
    assert body["reply_to_message_id"] == "m7" and body["buttons"][0][0]["data"] == "v:1:1"
    assert body["attempt"] == 1 and len(body["delivery_id"]) == 32


async def test_no_message_id_in_the_receipt_means_the_delivery_id_stands_for_it():
    seen: list = []
    assert await send(platform_answering(reply(200), seen=seen)) == seen[0]["delivery_id"]


@pytest.mark.parametrize(
    "answer, error",
    [
        (reply(429, Retry_After="7"), RetryLater),
        (reply(410), ChatGone),
        (reply(404, {"error": "chat_not_found"}), ChatGone),
        (reply(404, {"detail": "Not Found"}), Rejected),  # a wrong URL must not kill chats
        (reply(400, {"error": "bad", "message": "text too long"}), Rejected),
        (httpx.ReadTimeout("slow"), Uncertain),
        (httpx.RemoteProtocolError("dropped"), Uncertain),
    ],
)
async def test_outcomes_that_are_never_retried(answer, error):
    seen: list = []
    with pytest.raises(error) as caught:
        await send(platform_answering(answer, seen=seen))
    assert len(seen) == 1
    if error is RetryLater:
        assert caught.value.retry_after == 7.0


async def test_5xx_and_connect_errors_are_retried_with_the_same_delivery_id():
    seen: list = []
    platform = platform_answering(
        reply(502), httpx.ConnectError("refused"), reply(200, {"message_id": "x"}), seen=seen
    )
    assert await send(platform) == "x"
    assert len({b["delivery_id"] for b in seen}) == 1
    assert [b["attempt"] for b in seen] == [1, 2, 3]


async def test_retry_after_on_a_503_is_honoured_and_a_long_one_is_handed_up():
    started = time.monotonic()
    await send(platform_answering(reply(503, Retry_After="0.3"), reply(200)))
    assert time.monotonic() - started >= 0.3
    with pytest.raises(RetryLater) as caught:
        await send(platform_answering(reply(503, Retry_After="120")))
    assert caught.value.retry_after == 120


async def test_still_failing_after_every_attempt_is_unreachable():
    with pytest.raises(Unreachable):
        await send(platform_answering(*[httpx.ConnectError("refused")] * 3))
    with pytest.raises(Unreachable, match="HTTP 500"):
        await send(platform_answering(*[reply(500)] * 3))


async def test_edit_pin_and_press_answers_are_their_own_actions():
    seen: list = []
    platform = platform_answering(reply(200), reply(200), reply(200), seen=seen)
    await platform.edit("c1", "bot-3", OutgoingMessage("mới"))
    await platform.pin("c1", "bot-3")
    await platform.answer_press("p-9", "Cảm ơn")
    assert [(b["action"], b.get("message_id"), b.get("press_id")) for b in seen] == [
        ("edit", "bot-3", None),
        ("pin", "bot-3", None),
        ("answer_press", None, "p-9"),
    ]
    no_edits = BridgePlatform("mocha", platform.client, Capabilities(edits=False))
    with pytest.raises(Rejected):
        await no_edits.edit("c1", "bot-3", OutgoingMessage("mới"))
