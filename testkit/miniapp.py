"""Telegram Mini App initData as Telegram signs it, for tests of the console's sign-in.

Written from Telegram's documentation, apart from the product's own code: a mistake in
bot/console/initdata.py is not repeated here to hide itself.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from urllib.parse import urlencode


def init_data(
    bot_token: str,
    user_id: int,
    first_name: str = "Lan",
    auth_date: int | None = None,
    **fields: str,
) -> str:
    """A query string like Telegram.WebApp.initData, with a correct `hash`."""
    values = {
        "query_id": "AAH-test",
        "user": json.dumps(
            {"id": user_id, "first_name": first_name, "language_code": "vi"},
            ensure_ascii=False,
            separators=(",", ":"),
        ),
        "auth_date": str(int(time.time()) if auth_date is None else auth_date),
        **fields,
    }
    check = "\n".join(f"{key}={values[key]}" for key in sorted(values))
    secret = hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()
    values["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    return urlencode(values)
