"""Fixtures for the answer desk: services over the hash knowledge base and a fake platform."""

from __future__ import annotations

import itertools

import pytest

ADMIN = "1001"
MEMBER = "2002"
FLAN = "Công thức làm bánh flan caramel ngon nhất là gì?"  # not in the sample plan


@pytest.fixture
def bot_settings(settings):
    """One admin; a threshold the hash encoder meets."""
    return settings.model_copy(
        update={"admin_ids": [int(ADMIN)], "reload_progress_seconds": 0.0, "answer_threshold": 0.3}
    )


@pytest.fixture
def kb(bot_settings, open_knowledge):
    return open_knowledge(bot_settings)


@pytest.fixture
def platform():
    from testkit.fake_platform import FakePlatform

    return FakePlatform("telegram")


@pytest.fixture
def services(bot_settings, kb, services_for, platform):
    made = services_for(bot_settings, kb)
    made.platforms["telegram"] = platform  # as the Telegram adapter adds itself at start
    return made


@pytest.fixture
def desk(services):
    return services.answer_desk


@pytest.fixture
def say(services, platform):
    """Send a message to the assistant as a user; returns what the bot replied to it."""
    return say_to(services, platform)


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
