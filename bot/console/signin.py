"""/dangnhap: a moderator or admin asks in a private chat and gets a one-time console link.

Private chats only: the link signs in whoever opens it, so it must not be posted where
others read it. The link opens a page with a button (it does not sign in on GET), since
messengers fetch links to draw previews and would use the link up before the person does.
"""

from __future__ import annotations

from datetime import timedelta

from bot.clock import Clock, utcnow
from bot.commands import Command, CommandContext, Role
from bot.console import links
from bot.console.identity import Identity
from bot.console.parts import ConsoleConfig
from bot.markup import escape
from bot.store import Store


class SignInLinks:
    """Sends one-time console links."""

    def __init__(
        self,
        store: Store,
        config: ConsoleConfig,
        lifetime: timedelta = links.LINK_LIFETIME,
        clock: Clock = utcnow,
    ) -> None:
        self.store = store
        self.config = config
        self.lifetime = lifetime
        self.clock = clock

    def commands(self) -> list[Command]:
        return [
            Command(
                ("dangnhap", "login"),
                Role.MODERATOR,
                "liên kết đăng nhập trang quản trị (dùng một lần, 10 phút)",
                self.send_link,
                private_only=True,
            )
        ]

    async def send_link(self, ctx: CommandContext) -> None:
        message = ctx.message
        who = Identity(message.platform, message.user_id, message.user_name)
        secret = await self.store.run(links.issue, self.store, who, self.clock(), self.lifetime)
        url = f"{self.config.base_url}/dangnhap/{secret}"
        minutes = int(self.lifetime.total_seconds() // 60)
        await ctx.reply(
            "🔐 Liên kết đăng nhập trang quản trị (chỉ dùng được một lần, hết hạn sau "
            f"{minutes} phút; đừng chuyển cho người khác):\n{escape(url)}"
        )
