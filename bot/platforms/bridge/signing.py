"""Request signing for the bridge: HMAC-SHA256 over `timestamp + "." + body`, both directions.

    X-Bridge-Timestamp: 1767225600            (Unix seconds, when the request was signed)
    X-Bridge-Signature: sha256=<64 hex digits> (HMAC-SHA256(secret, b"1767225600." + body))

The body is signed byte for byte as sent: re-serialising the JSON breaks the signature.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Mapping

TIMESTAMP_HEADER = "X-Bridge-Timestamp"
SIGNATURE_HEADER = "X-Bridge-Signature"
PREFIX = "sha256="
MAX_SKEW_SECONDS = 300


def signature(secret: str, timestamp: int | str, body: bytes) -> str:
    """The X-Bridge-Signature value for `body` signed at `timestamp`."""
    message = str(timestamp).encode("ascii") + b"." + body
    return PREFIX + hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def signed_headers(secret: str, body: bytes, now: float | None = None) -> dict[str, str]:
    """The two headers a signed request carries."""
    timestamp = int(time.time() if now is None else now)
    return {
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature(secret, timestamp, body),
    }


def matches(secret: str, timestamp: str, body: bytes, claimed: str) -> bool:
    """True when `claimed` is the signature of `body` at `timestamp` (constant-time compare)."""
    expected = signature(secret, timestamp, body)
    return hmac.compare_digest(expected.encode("ascii"), claimed.strip().encode("ascii", "replace"))


def parse_timestamp(value: str | None) -> int | None:
    """The header's Unix seconds, or None when absent or not a plain integer."""
    if not value or not value.strip().isdigit() or len(value.strip()) > 12:
        return None
    return int(value.strip())


def is_fresh(timestamp: int, now: float | None = None, skew: int = MAX_SKEW_SECONDS) -> bool:
    """Signed within `skew` seconds of now, either way (clocks drift both ways)."""
    current = time.time() if now is None else now
    return abs(current - timestamp) <= skew


def find_signer(
    secrets: Mapping[str, str], timestamp: str, body: bytes, claimed: str
) -> str | None:
    """The platform whose secret signed the request, or None; every secret is tried."""
    found = None
    for platform, secret in secrets.items():
        # no early exit: the time taken does not tell which platform's secret matched
        if matches(secret, timestamp, body, claimed) and found is None:
            found = platform
    return found
