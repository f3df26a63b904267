"""Alembic's environment: run on the connection bot.migrations hands it (never a URL here).

`python -m bot db upgrade` and the start-up upgrade both go through bot.migrations.upgrade,
which opens the connection (with the store's own SQLite pragmas) and passes it in
`config.attributes["connection"]`. Autogenerate (a developer making a new revision) passes
the whole schema as `config.attributes["target_metadata"]`.
"""

from __future__ import annotations

from alembic import context

config = context.config
connection = config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=config.attributes.get("target_metadata"),
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters by copying a table
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
