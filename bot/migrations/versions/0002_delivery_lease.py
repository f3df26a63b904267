"""Deliveries carry their owner and lease: several engines (replicas) on one database.

A `sending` row names the engine that claimed it and how long its claim holds, so another
engine can tell a dead replica's rows (lease run out: `uncertain`) from a live one's.
Existing rows get an empty owner and no lease (a `sending` one among them is a dead
process's, as before).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("broadcast_deliveries") as table:
        table.add_column(
            sa.Column("owner", sa.String(length=64), nullable=False, server_default="")
        )
        table.add_column(sa.Column("lease_until", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("broadcast_deliveries") as table:
        table.drop_column("lease_until")
        table.drop_column("owner")
