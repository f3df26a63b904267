"""State replicas share: members' question buckets and the installation's voter salt.

With several replicas a member's next update may reach any of them: the question limit
counts in `member_buckets` (bot/assistant/stored_limits.py), and every replica signs
buttons and hashes voters with the one salt in `installation_secrets`. Both tables start
empty: nothing is moved.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "member_buckets",
        sa.Column("key", sa.String(length=160), nullable=False),
        sa.Column("tokens", sa.Float(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("warned", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_index("ix_member_buckets_at", "member_buckets", ["at"])
    op.create_table(
        "installation_secrets",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("value", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("installation_secrets")
    op.drop_index("ix_member_buckets_at", table_name="member_buckets")
    op.drop_table("member_buckets")
