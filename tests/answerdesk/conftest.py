"""Fixtures for the answer desk: services over the hash knowledge base and a fake platform."""

from __future__ import annotations

import pytest
from answerdesk_helpers import ADMIN, say_to


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
