"""Who may show the console in a frame: the console itself and Telegram's web client.

web.telegram.org shows a Mini App in an <iframe>, so framing cannot be forbidden outright;
every other site is refused (`frame-ancestors`), so none can lay the console under its own
page and trick a signed-in officer into pressing «Duyệt» (clickjacking) — which matters
more since a Mini App session's cookie is sent in cross-site frames (bot.console.cookies).
The mobile and desktop apps open the Mini App top-level in a webview: no frame at all.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

TELEGRAM_WEB = "https://web.telegram.org"
POLICY = f"frame-ancestors 'self' {TELEGRAM_WEB}"


class FrameAncestors:
    """ASGI middleware: the Content-Security-Policy `frame-ancestors` on every response."""

    def __init__(self, app: ASGIApp, policy: str = POLICY) -> None:
        self.app = app
        self.header = (b"content-security-policy", policy.encode("ascii"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_policy(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), self.header]
            await send(message)

        await self.app(scope, receive, with_policy)
