"""Fixtures for the assistant: services over the hash knowledge base and a fake platform."""

from __future__ import annotations

import pytest

ADMIN = "1001"
MEMBER = "2002"


@pytest.fixture
def bot_settings(settings, database_url):
    """Settings with one admin, instant progress edits, and a threshold the hash encoder meets;
    the database a SQLite file, then PostgreSQL (tests/conftest.py `database_url`)."""
    return settings.model_copy(
        update={
            "admin_ids": [int(ADMIN)],
            "reload_progress_seconds": 0.0,
            "answer_threshold": 0.3,
            "database_url": database_url,
            "db_auto_migrate": True,
        }
    )


@pytest.fixture
def kb(bot_settings, open_knowledge):
    return open_knowledge(bot_settings)


@pytest.fixture
def services(bot_settings, kb, services_for):
    return services_for(bot_settings, kb)


@pytest.fixture
def assistant(services):
    return services.assistant


@pytest.fixture
def platform():
    from testkit.fake_platform import FakePlatform

    return FakePlatform("telegram")


@pytest.fixture
def say(assistant, platform):
    """Send a message to the assistant as a user; returns the IncomingMessage."""
    import itertools

    from bot.chat import IncomingMessage

    ids = itertools.count(1)

    async def say(
        text: str = "",
        *,
        user: str = MEMBER,
        chat: str | None = None,
        group: bool = False,
        command: str | None = None,
        **extra,
    ) -> IncomingMessage:
        args = ""
        if command is None and text.startswith("/"):
            head, _, args = text.partition(" ")
            command = head[1:].lower()
        msg = IncomingMessage(
            platform="telegram",
            chat_id=chat or ("-500" if group else user),
            chat_type="group" if group else "private",
            user_id=user,
            text=text,
            message_id=str(next(ids)),
            command=command,
            args=args.strip(),
            **extra,
        )
        await assistant.handle_message(msg, platform)
        return msg

    return say
