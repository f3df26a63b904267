"""The session cookie's attributes, by how the session was opened.

A link from /dangnhap opens the console top-level in a browser: `SameSite=Lax` (a link to
the console from a chat keeps the session; another site's form does not carry it).

The Mini App is different on web.telegram.org: Telegram shows it in a cross-site <iframe>,
where a Lax or Strict cookie is neither sent nor even stored, so every request after
sign-in would arrive without its session. A Mini App session therefore gets
`SameSite=None; Secure; Partitioned` (CHIPS): sent inside the frame, and kept in a jar of
the top-level site's own (web.telegram.org), so browsers that block third-party cookies
keep it too and no other site that frames the console sees it. SameSite=None leaves the
CSRF token as the only guard of a POST: every form carries it (bot.console.access), and
the console may only be framed by Telegram (bot.console.framing).

Browsers refuse SameSite=None without Secure, so over plain HTTP (BOT_PUBLIC_URL http://,
development only) a Mini App session gets the link's cookie.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from starlette.responses import Response


@dataclass(frozen=True)
class CookieKind:
    secure: bool
    samesite: Literal["lax", "none"]
    partitioned: bool = False


def session_cookie(via: str, secure: bool) -> CookieKind:
    """The attributes of the cookie of a session opened `via` "link" or "miniapp"."""
    if via == "miniapp" and secure:
        return CookieKind(secure=True, samesite="none", partitioned=True)
    return CookieKind(secure=secure, samesite="lax")


def all_session_cookies(secure: bool) -> list[CookieKind]:
    """Every kind of session cookie, to delete them all on sign-out: a partitioned cookie
    is only removed by a Set-Cookie that is partitioned too."""
    return list(dict.fromkeys([session_cookie("link", secure), session_cookie("miniapp", secure)]))


def set_cookie(
    response: Response, name: str, value: str, max_age: int, path: str, kind: CookieKind
) -> None:
    """An HttpOnly cookie of this kind on the response (max_age 0 deletes it)."""
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        expires=max_age if max_age else "Thu, 01 Jan 1970 00:00:00 GMT",
        path=path,
        httponly=True,
        secure=kind.secure,
        samesite=kind.samesite,
    )
    if kind.partitioned:
        # Python's http.cookies knows `Partitioned` only from 3.14 (Starlette refuses it before)
        header, cookie = response.raw_headers[-1]
        assert header == b"set-cookie" and cookie.startswith(name.encode() + b"=")
        response.raw_headers[-1] = (header, cookie + b"; Partitioned")
