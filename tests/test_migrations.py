"""Schema migrations keep every row, on SQLite and PostgreSQL; the models match the revisions."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

import bot.app  # noqa: F401  (every module that defines tables)
from bot import migrations
from bot.errors import SchemaOutdated
from bot.store import Base, make_engine, open_store
from testkit.rows import fill_every_table, read_every_table

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


first_schema = migrations.first_schema


@pytest.fixture
def engine(database_url):
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def test_a_database_at_the_first_revision_keeps_every_row_through_the_upgrade(engine):
    migrations.upgrade(engine, migrations.FIRST)
    schema = first_schema()
    written = fill_every_table(engine, schema)
    assert len(written) == len(schema.tables) == 11
    before, after = migrations.upgrade(engine)
    assert (before, after) == (migrations.FIRST, migrations.head())
    assert read_every_table(engine, schema) == {name: [row] for name, row in written.items()}
    # 0002: the delivery row, carried across, has no owner and no lease (nobody holds it)
    with engine.connect() as conn:
        added = conn.execute(text("SELECT owner, lease_until FROM broadcast_deliveries")).all()
    assert [tuple(r) for r in added] == [("", None)]
    assert inspect(engine).has_table("officer_answers")


def test_a_database_made_by_create_all_is_stamped_not_recreated(engine, database_url):
    """Before migrations, `create_all` made the schema; such a database keeps its rows and
    gains the tables it lacked (here: one dropped, as an older version never had it)."""
    schema = first_schema()  # what create_all made then (the models have moved on since)
    schema.create_all(engine)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE bridge_private_chats"))
    kept = [t for t in schema.sorted_tables if t.name != "bridge_private_chats"]
    written = fill_every_table(engine, schema, only=kept)
    assert migrations.current(engine) is None
    store = open_store(database_url)  # the start-up upgrade
    try:
        assert migrations.current(store.engine) == migrations.head()
        assert inspect(store.engine).has_table("bridge_private_chats")
        read = read_every_table(store.engine, schema)
        assert read.pop("bridge_private_chats") == []
        assert read == {name: [row] for name, row in written.items()}
    finally:
        store.close()


def test_the_models_are_exactly_what_the_revisions_make(engine):
    """A model changed without a revision fails here (make one: python -m bot db revision)."""
    migrations.upgrade(engine)
    with engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert differences == []


def test_without_auto_migrate_a_database_behind_the_code_is_refused(database_url):
    with pytest.raises(SchemaOutdated, match="python -m bot db upgrade"):
        open_store(database_url, migrate=False)
    open_store(database_url).close()  # migrated…
    open_store(database_url, migrate=False).close()  # …then accepted as it is


def test_auto_migrate_is_on_for_sqlite_and_off_for_a_shared_database(settings):
    assert settings.resolved_db_auto_migrate is True
    pg = settings.model_copy(update={"database_url": "postgresql+psycopg://u@h/db"})
    assert pg.resolved_db_auto_migrate is False
    forced = pg.model_copy(update={"db_auto_migrate": True})
    assert forced.resolved_db_auto_migrate is True


def test_db_upgrade_on_the_command_line(database_url, tmp_path):
    engine = make_engine(database_url)
    try:
        first_schema().create_all(engine)  # a database from before migrations
        written = fill_every_table(engine, first_schema())
    finally:
        engine.dispose()
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env.update(BOT_DATABASE_URL=database_url, PYTHONPATH=ROOT, PYTHONIOENCODING="utf-8")
    argv = [sys.executable, "-m", "bot", "db", "upgrade"]
    done = subprocess.run(argv, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert f"(chưa có) → {migrations.head()}" in done.stdout
    again = subprocess.run(argv, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert "đã ở phiên bản mới nhất" in again.stdout
    engine = make_engine(database_url)
    try:
        assert read_every_table(engine, first_schema()) == {n: [r] for n, r in written.items()}
    finally:
        engine.dispose()
