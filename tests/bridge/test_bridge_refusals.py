"""What the bridge refuses, with which status and error body, and that nothing gets through."""

from __future__ import annotations

import json
import time

from bridge_helpers import MEMBER, OTHER_SECRET, QUESTION, SECRET

from bot.platforms.bridge.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, signed_headers


def message(message_id: str = "m1", **fields) -> dict:
    return {
        "type": "message",
        "platform": "mocha",
        "chat_id": "c1",
        "chat_type": "private",
        "user_id": MEMBER,
        "message_id": message_id,
        "text": QUESTION,
        "timestamp": int(time.time()),
        **fields,
    }


def raw(update: dict) -> bytes:
    return json.dumps(update, ensure_ascii=False).encode()


async def test_signature_problems_are_401(connector, receiver):
    body = raw(message())
    missing = await connector.post_raw(body, headers={})
    wrong = await connector.post_raw(body, headers=signed_headers("not-the-secret-at-all", body))
    tampered_headers = signed_headers(SECRET, body)
    tampered = await connector.post_raw(body.replace(b"c1", b"c2"), headers=tampered_headers)
    garbage = await connector.post_raw(
        body, headers={TIMESTAMP_HEADER: "soon", SIGNATURE_HEADER: "sha256=zz"}
    )
    assert [r.status_code for r in (missing, wrong, tampered, garbage)] == [401] * 4
    assert missing.json()["error"] == "missing_signature"
    assert wrong.json()["error"] == tampered.json()["error"] == "bad_signature"
    assert "HMAC-SHA256" in wrong.json()["message"]
    assert garbage.json()["error"] == "missing_signature"
    assert receiver.posts == []


async def test_stale_and_future_timestamps_are_401(connector):
    body = raw(message())
    old = await connector.post_raw(body, headers=signed_headers(SECRET, body, time.time() - 301))
    ahead = await connector.post_raw(body, headers=signed_headers(SECRET, body, time.time() + 400))
    assert (old.status_code, ahead.status_code) == (401, 401)
    assert old.json()["error"] == ahead.json()["error"] == "stale_timestamp"
    recent = await connector.post_raw(body, headers=signed_headers(SECRET, body, time.time() - 200))
    assert recent.status_code == 202


async def test_a_replay_is_409_even_after_a_restart(bridge_settings, bridge_kb, receiver):
    from bot.app import build_services
    from bot.runtime import serving
    from testkit.bridge_connector import Connector

    body = raw(message("once"))
    headers = signed_headers(SECRET, body)
    for expected in (202, 409):  # a fresh bot on the same database: the id is remembered
        services = build_services(bridge_settings, knowledge=bridge_kb)
        async with (
            serving(bridge_settings, services) as running,
            Connector(running.url, SECRET) as connector,
        ):
            answer = await connector.post_raw(body, headers=dict(headers))
            assert answer.status_code == expected
            if expected == 409:
                assert answer.json()["error"] == "duplicate"
                # the connector re-signing the same message is a retry, not a new question
                again = await connector.post_raw(body)
                assert again.status_code == 409
    await receiver.wait_for(lambda: receiver.sends("c1"))
    assert len(receiver.sends("c1")) == 1


async def test_size_json_and_schema_errors(connector, receiver):
    big = raw(message(text="x" * 5000))
    too_large = await connector.post_raw(big)
    assert too_large.status_code == 413 and too_large.json()["error"] == "too_large"
    broken = await connector.post_raw(b'{"type": "message", ')
    assert broken.status_code == 400
    assert broken.json()["error"] == "malformed_json" and "JSON" in broken.json()["message"]
    latin = await connector.post_raw('{"a": "é"}'.encode("latin-1"))
    assert latin.status_code == 400
    invalid = await connector.post(message(chat_type="channel", user_id=""))
    assert invalid.status_code == 422
    problem = invalid.json()
    assert problem["error"] == "invalid_update"
    assert {tuple(d["loc"]) for d in problem["details"]} == {
        ("message", "chat_type"),
        ("message", "user_id"),
    }
    no_type = await connector.post({"chat_id": "c1"})
    assert no_type.status_code == 422 and "type" in no_type.json()["message"]
    assert receiver.posts == []


async def test_one_platforms_secret_cannot_speak_for_another(connector):
    body = raw(message(platform="mocha"))
    forged = await connector.post_raw(body, headers=signed_headers(OTHER_SECRET, body))
    assert forged.status_code == 403 and forged.json()["error"] == "platform_mismatch"


async def test_metrics_count_refusals_and_answers(bridge_bot, connector, receiver):
    await connector.post_raw(b"{}", headers={})
    await connector.say("c5", MEMBER, QUESTION)
    await receiver.wait_for(lambda: receiver.sends("c5"))
    async with __import__("httpx").AsyncClient() as http:
        text = (await http.get(bridge_bot.url + "/metrics")).text
    assert 'bot_bridge_updates_total{outcome="missing_signature",platform="unknown"} 1.0' in text
    assert 'bot_bridge_updates_total{outcome="accepted",platform="mocha"} 1.0' in text
    assert 'bot_questions_total{outcome="answered",platform="mocha"} 1.0' in text
    assert 'bot_answer_seconds_count{platform="mocha"} 1.0' in text
