"""One row in every table of a schema, and every row read back: what a migration must keep.

Generic over the tables (built from the schema's own metadata, not a list kept by hand), so
a table added later is covered without touching the tests. Values are typed from each
column and unique to it, foreign keys point at the row of the referenced table.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Boolean, DateTime, Engine, Float, Integer, MetaData, String, insert, select

from bot.store import UTCDateTime

AT = datetime(2026, 12, 1, 1, 2, 3, 456000, tzinfo=UTC)


def _value(table, column, index: int):
    if column.foreign_keys:
        return 1
    kind = column.type
    if isinstance(kind, UTCDateTime):
        return AT + timedelta(minutes=index)
    if isinstance(kind, DateTime):  # a migration's frozen schema: naive UTC, as stored
        return (AT + timedelta(minutes=index)).replace(tzinfo=None)
    if isinstance(kind, Boolean):
        return index % 2 == 0
    if isinstance(kind, Integer):
        return 1 if column.primary_key else 100 + index
    if isinstance(kind, Float):
        return index + 0.25
    if isinstance(kind, String):  # Text too; Vietnamese, as the bot stores
        text = f"{table.name}.{column.name} Đảng bộ phường"
        return text[: kind.length] if kind.length else text * 3
    raise TypeError(f"no sample value for {table.name}.{column.name}: {kind!r}")


def sample_rows(metadata: MetaData) -> dict[str, dict]:
    """Table name -> the one row it gets."""
    return {
        table.name: {c.name: _value(table, c, i) for i, c in enumerate(table.columns)}
        for table in metadata.sorted_tables
    }


def fill_every_table(engine: Engine, metadata: MetaData, only=None) -> dict[str, dict]:
    """A row in every table (or in the tables `only` names); returns what was written."""
    tables = [t for t in metadata.sorted_tables if only is None or t in only]
    rows = sample_rows(metadata)
    with engine.begin() as conn:
        for table in tables:  # parents before children (foreign keys)
            conn.execute(insert(table).values(rows[table.name]))
    return {table.name: rows[table.name] for table in tables}


def read_every_table(engine: Engine, metadata: MetaData) -> dict[str, list[dict]]:
    with engine.connect() as conn:
        return {
            table.name: [dict(r._mapping) for r in conn.execute(select(table))]
            for table in metadata.sorted_tables
        }


def as_stored_by(frozen, model_table, rows: list[dict]) -> list[dict]:
    """`rows` for a model's table, completed with the model's Python defaults and cut to the
    columns an older revision's `frozen` copy of the table has (naive UTC times, as stored).

    For writing rows into a database at that revision through today's models' values.
    """
    defaults = {c.name: c.default for c in model_table.columns if c.default is not None}
    shaped = []
    for row in rows:
        full = dict(row)
        for name, default in defaults.items():
            if name not in full:
                full[name] = default.arg(None) if default.is_callable else default.arg
        shaped.append(
            {
                c.name: (
                    full[c.name].astimezone(UTC).replace(tzinfo=None)
                    if isinstance(full[c.name], datetime) and full[c.name].tzinfo
                    else full[c.name]
                )
                for c in frozen.columns
                if c.name in full
            }
        )
    return shaped
