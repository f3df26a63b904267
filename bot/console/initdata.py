"""Telegram Mini App sign-in: `initData` validated exactly as Telegram's bot docs prescribe.

    secret_key = HMAC_SHA256(key="WebAppData", msg=bot_token)
    data_check_string = every received field except `hash`, as key=value, sorted by key,
                        joined by "\\n" (`signature`, when present, is a received field too)
    valid when hex(HMAC_SHA256(key=secret_key, msg=data_check_string)) == hash

compared in constant time, then `auth_date` must be recent: an initData copied from a
browser's history must not sign in days later. Pure: values in, a value or a refusal out.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl

from bot.console.identity import Identity

MAX_AGE = timedelta(hours=1)  # a Mini App opened an hour ago is opened again
CLOCK_SKEW = timedelta(minutes=1)  # an auth_date this far ahead of our clock is accepted


class InitDataRefused(Exception):
    """initData that does not prove who sent it; the message names why (Vietnamese)."""


@dataclass(frozen=True)
class MiniAppSignIn:
    identity: Identity
    auth_date: datetime


def secret_key(bot_token: str) -> bytes:
    return hmac.new(b"WebAppData", bot_token.encode("utf-8"), hashlib.sha256).digest()


def data_check_string(fields: dict[str, str]) -> str:
    return "\n".join(f"{k}={v}" for k, v in sorted(fields.items()) if k != "hash")


def verify(
    init_data: str, bot_token: str, now: datetime, max_age: timedelta = MAX_AGE
) -> MiniAppSignIn:
    """Who opened the Mini App, or InitDataRefused."""
    if not bot_token:
        raise InitDataRefused("Bot chưa có token Telegram.")
    try:
        pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        raise InitDataRefused("Dữ liệu Mini App không đúng dạng.") from None
    fields = dict(pairs)
    if len(fields) != len(pairs):  # a field given twice: which one was signed?
        raise InitDataRefused("Dữ liệu Mini App không đúng dạng.")
    received = fields.get("hash", "")
    expected = hmac.new(
        secret_key(bot_token), data_check_string(fields).encode("utf-8"), hashlib.sha256
    ).hexdigest()
    if not hmac.compare_digest(expected.encode(), received.encode("utf-8", "replace")):
        raise InitDataRefused("Chữ ký dữ liệu Mini App không đúng.")
    try:
        auth_date = datetime.fromtimestamp(int(fields["auth_date"]), UTC)
        user = json.loads(fields["user"])
        user_id = str(int(user["id"]))
    except (KeyError, ValueError, TypeError, OverflowError, OSError):
        raise InitDataRefused("Dữ liệu Mini App thiếu người dùng hoặc thời điểm.") from None
    if now - auth_date > max_age or auth_date - now > CLOCK_SKEW:
        raise InitDataRefused("Dữ liệu Mini App đã cũ. Hãy mở lại trang quản trị từ bot.")
    name = " ".join(str(user.get(k) or "") for k in ("first_name", "last_name")).strip()
    return MiniAppSignIn(Identity("telegram", user_id, name), auth_date)
