"""Helpers for the answer desk tests: who is who, and talking to the assistant."""

from __future__ import annotations

import itertools

ADMIN = "1001"
MEMBER = "2002"
FLAN = "Công thức làm bánh flan caramel ngon nhất là gì?"  # not in the sample plan


def say_to(services, platform):
    """`say(text, user=…, group=…)` to these services, on this fake platform."""
    from bot.chat import IncomingMessage

    ids = itertools.count(1)

    async def say(text: str, *, user: str = MEMBER, group: bool = False) -> str:
        head, _, args = text.partition(" ")
        command = head[1:].lower() if text.startswith("/") else None
        msg = IncomingMessage(
            platform="telegram",
            chat_id="-500" if group else user,
            chat_type="group" if group else "private",
            user_id=user,
            text=text,
            message_id=f"m{next(ids)}",
            command=command,
            args=args.strip() if command else "",
            addressed=True,
        )
        await services.assistant.handle_message(msg, platform)
        await services.assistant.asking.settle()
        replies = [s.text for s in platform.sent if s.reply_to == msg.message_id]
        return "\n".join(replies)

    return say
