"""Signing: the worked example of docs/bridge.md, and what `matches` refuses."""

from __future__ import annotations

from pathlib import Path

from bot.platforms.bridge.signing import find_signer, is_fresh, matches, signature

DOC = Path(__file__).resolve().parents[2] / "docs" / "bridge.md"
# the worked example in docs/bridge.md, byte for byte
SECRET = "s3cret-shared-with-the-connector"
TIMESTAMP = "1767225600"
BODY = (
    b'{"type":"message","platform":"mocha","chat_id":"c1","chat_type":"private",'
    b'"user_id":"84901234567","message_id":"m1","text":"Xin ch\\u00e0o","timestamp":1767225600}'
)


def test_the_documented_example_signs_as_documented():
    value = signature(SECRET, TIMESTAMP, BODY)
    text = DOC.read_text(encoding="utf-8")
    assert value in text  # the doc shows this very signature
    assert BODY.decode() in text and SECRET in text
    assert matches(SECRET, TIMESTAMP, BODY, value)


def test_anything_else_does_not_match():
    good = signature(SECRET, TIMESTAMP, BODY)
    assert not matches(SECRET, "1767225601", BODY, good)
    assert not matches(SECRET, TIMESTAMP, BODY + b" ", good)
    assert not matches("another-secret-entirely", TIMESTAMP, BODY, good)
    assert not matches(SECRET, TIMESTAMP, BODY, good.upper())
    assert not matches(SECRET, TIMESTAMP, BODY, "sha256=é")


def test_the_signer_is_found_among_platforms_and_freshness_is_symmetric():
    good = signature(SECRET, TIMESTAMP, BODY)
    assert find_signer({"zalo": "x" * 20, "mocha": SECRET}, TIMESTAMP, BODY, good) == "mocha"
    assert find_signer({"zalo": "x" * 20}, TIMESTAMP, BODY, good) is None
    assert is_fresh(1000, now=1300) and is_fresh(1300, now=1000)
    assert not is_fresh(1000, now=1301) and not is_fresh(1301, now=1000)
