"""The first revision: the schema as `create_all` made it before migrations existed.

Frozen here (not imported from the models, which move on). Each table is created only when
it is missing: a database made by the older code keeps its tables and rows, gains any table
it lacked, and is stamped at this revision. Times are naive UTC (bot.store.UTCDateTime).

Revision ID: 0001
Revises:
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

SCHEMA = sa.MetaData()

sa.Table(
    "bridge_private_chats",
    SCHEMA,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("platform", sa.String(length=32), nullable=False),
    sa.Column("user_id", sa.String(length=64), nullable=False),
    sa.Column("chat_id", sa.String(length=64), nullable=False),
    sa.Column("seen_at", sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint("id"),
    sa.UniqueConstraint("platform", "user_id"),
)

sa.Table(
    "bridge_seen_updates",
    SCHEMA,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("platform", sa.String(length=32), nullable=False),
    sa.Column("kind", sa.String(length=16), nullable=False),
    sa.Column("key", sa.String(length=160), nullable=False),
    sa.Column("seen_at", sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint("id"),
    sa.UniqueConstraint("platform", "kind", "key"),
    sa.Index("ix_bridge_seen_updates_seen_at", "seen_at"),
)

sa.Table(
    "broadcast_posts",
    SCHEMA,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("text", sa.Text(), nullable=False),
    sa.Column("buttons", sa.Text(), nullable=False),
    sa.Column("attachment_kind", sa.String(length=16), nullable=False),
    sa.Column("attachment_ref", sa.String(length=512), nullable=False),
    sa.Column("attachment_name", sa.String(length=256), nullable=False),
    sa.Column("source", sa.String(length=512), nullable=False),
    sa.Column("status", sa.String(length=16), nullable=False),
    sa.Column("version", sa.Integer(), nullable=False),
    sa.Column("author_platform", sa.String(length=32), nullable=False),
    sa.Column("author_id", sa.String(length=64), nullable=False),
    sa.Column("author_chat", sa.String(length=64), nullable=False),
    sa.Column("author_name", sa.String(length=256), nullable=False),
    sa.Column("decided_by", sa.String(length=64), nullable=False),
    sa.Column("decision_note", sa.String(length=512), nullable=False),
    sa.Column("created_at", sa.DateTime(), nullable=False),
    sa.Column("updated_at", sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint("id"),
)

sa.Table(
    "chats",
    SCHEMA,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("platform", sa.String(length=32), nullable=False),
    sa.Column("chat_id", sa.String(length=64), nullable=False),
    sa.Column("title", sa.String(length=256), nullable=False),
    sa.Column("chat_type", sa.String(length=16), nullable=False),
    sa.Column("active", sa.Boolean(), nullable=False),
    sa.Column("bot_is_admin", sa.Boolean(), nullable=False),
    sa.Column("tags", sa.String(length=512), nullable=False),
    sa.Column("inactive_reason", sa.String(length=256), nullable=False),
    sa.Column("added_at", sa.DateTime(), nullable=False),
    sa.Column("updated_at", sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint("id"),
    sa.UniqueConstraint("platform", "chat_id"),
)

sa.Table(
    "feedback",
    SCHEMA,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("question_id", sa.Integer(), nullable=False),
    sa.Column("voter", sa.String(length=64), nullable=False),
    sa.Column("helpful", sa.Boolean(), nullable=False),
    sa.Column("at", sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint("id"),
    sa.UniqueConstraint("question_id", "voter"),
    sa.Index("ix_feedback_question_id", "question_id"),
)

sa.Table(
    "moderators",
    SCHEMA,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("platform", sa.String(length=32), nullable=False),
    sa.Column("user_id", sa.String(length=64), nullable=False),
    sa.Column("display_name", sa.String(length=256), nullable=False),
    sa.Column("approver", sa.Boolean(), nullable=False),
    sa.Column("granted_by", sa.String(length=64), nullable=False),
    sa.Column("granted_at", sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint("id"),
    sa.UniqueConstraint("platform", "user_id"),
)

sa.Table(
    "questions",
    SCHEMA,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("platform", sa.String(length=32), nullable=False),
    sa.Column("chat_type", sa.String(length=16), nullable=False),
    sa.Column("text", sa.Text(), nullable=False),
    sa.Column("answered", sa.Boolean(), nullable=False),
    sa.Column("score", sa.Float(), nullable=False),
    sa.Column("source", sa.String(length=512), nullable=False),
    sa.Column("asked_at", sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint("id"),
)

sa.Table(
    "broadcast_approvals",
    SCHEMA,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("post_id", sa.Integer(), nullable=False),
    sa.Column("version", sa.Integer(), nullable=False),
    sa.Column("action", sa.String(length=16), nullable=False),
    sa.Column("by_user", sa.String(length=64), nullable=False),
    sa.Column("note", sa.String(length=512), nullable=False),
    sa.Column("at", sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(
        ["post_id"],
        ["broadcast_posts.id"],
    ),
    sa.PrimaryKeyConstraint("id"),
    sa.Index("ix_broadcast_approvals_post_id", "post_id"),
)

sa.Table(
    "broadcast_schedules",
    SCHEMA,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("post_id", sa.Integer(), nullable=False),
    sa.Column("recurrence", sa.String(length=256), nullable=False),
    sa.Column("target_kind", sa.String(length=16), nullable=False),
    sa.Column("target_value", sa.Text(), nullable=False),
    sa.Column("silent", sa.Boolean(), nullable=False),
    sa.Column("pin", sa.Boolean(), nullable=False),
    sa.Column("status", sa.String(length=16), nullable=False),
    sa.Column("cursor", sa.DateTime(), nullable=False),
    sa.Column("next_due", sa.DateTime(), nullable=True),
    sa.Column("created_by", sa.String(length=64), nullable=False),
    sa.Column("created_at", sa.DateTime(), nullable=False),
    sa.Column("updated_at", sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(
        ["post_id"],
        ["broadcast_posts.id"],
    ),
    sa.PrimaryKeyConstraint("id"),
    sa.Index("ix_broadcast_schedules_next_due", "next_due"),
    sa.Index("ix_broadcast_schedules_post_id", "post_id"),
)

sa.Table(
    "broadcast_occurrences",
    SCHEMA,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("schedule_id", sa.Integer(), nullable=False),
    sa.Column("post_id", sa.Integer(), nullable=False),
    sa.Column("post_version", sa.Integer(), nullable=False),
    sa.Column("due_at", sa.DateTime(), nullable=False),
    sa.Column("status", sa.String(length=16), nullable=False),
    sa.Column("note", sa.String(length=512), nullable=False),
    sa.Column("content", sa.Text(), nullable=False),
    sa.Column("silent", sa.Boolean(), nullable=False),
    sa.Column("pin", sa.Boolean(), nullable=False),
    sa.Column("created_at", sa.DateTime(), nullable=False),
    sa.Column("finished_at", sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(
        ["post_id"],
        ["broadcast_posts.id"],
    ),
    sa.ForeignKeyConstraint(
        ["schedule_id"],
        ["broadcast_schedules.id"],
    ),
    sa.PrimaryKeyConstraint("id"),
    sa.UniqueConstraint("schedule_id", "due_at"),
    sa.Index("ix_broadcast_occurrences_status", "status"),
)

sa.Table(
    "broadcast_deliveries",
    SCHEMA,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("occurrence_id", sa.Integer(), nullable=False),
    sa.Column("chat_ref", sa.Integer(), nullable=False),
    sa.Column("platform", sa.String(length=32), nullable=False),
    sa.Column("chat_id", sa.String(length=64), nullable=False),
    sa.Column("is_group", sa.Boolean(), nullable=False),
    sa.Column("status", sa.String(length=16), nullable=False),
    sa.Column("message_id", sa.String(length=64), nullable=False),
    sa.Column("reason", sa.String(length=512), nullable=False),
    sa.Column("attempts", sa.Integer(), nullable=False),
    sa.Column("pinned", sa.Boolean(), nullable=False),
    sa.Column("sent_at", sa.DateTime(), nullable=True),
    sa.Column("updated_at", sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(
        ["chat_ref"],
        ["chats.id"],
    ),
    sa.ForeignKeyConstraint(
        ["occurrence_id"],
        ["broadcast_occurrences.id"],
    ),
    sa.PrimaryKeyConstraint("id"),
    sa.UniqueConstraint("occurrence_id", "chat_ref"),
    sa.Index("ix_broadcast_deliveries_status", "status", "occurrence_id"),
)


def upgrade() -> None:
    bind = op.get_bind()
    present = set(sa.inspect(bind).get_table_names())
    for table in SCHEMA.sorted_tables:  # parents first (foreign keys)
        if table.name not in present:
            table.create(bind)  # with its indexes


def downgrade() -> None:
    for table in reversed(SCHEMA.sorted_tables):
        table.drop(op.get_bind())
