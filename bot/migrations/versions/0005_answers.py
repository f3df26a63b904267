"""The answer desk: who asked an unanswered question, officers' answers, what they cover.

Frozen here, as the first revision is. A table is created only when it is missing: a
database made by `create_all` before migrations existed already has them, and is kept.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"  # after the console's sign-in tables
branch_labels = None
depends_on = None

SCHEMA = sa.MetaData()

sa.Table(
    "question_askers",
    SCHEMA,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("question_id", sa.Integer(), nullable=False),
    sa.Column("platform", sa.String(length=32), nullable=False),
    sa.Column("user_id", sa.String(length=64), nullable=False),
    sa.Column("chat_type", sa.String(length=16), nullable=False),
    sa.Column("status", sa.String(length=16), nullable=False),
    sa.Column("answer_id", sa.Integer(), nullable=True),
    sa.Column("reason", sa.String(length=256), nullable=False),
    sa.Column("told_at", sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint("id"),
    sa.UniqueConstraint("question_id"),
    sa.Index("ix_question_askers_status", "status"),
)

sa.Table(
    "officer_answers",
    SCHEMA,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("question", sa.Text(), nullable=False),
    sa.Column("text", sa.Text(), nullable=False),
    sa.Column("status", sa.String(length=16), nullable=False),
    sa.Column("author_platform", sa.String(length=32), nullable=False),
    sa.Column("author_id", sa.String(length=64), nullable=False),
    sa.Column("author_name", sa.String(length=256), nullable=False),
    sa.Column("author_chat", sa.String(length=64), nullable=False),
    sa.Column("decided_by", sa.String(length=64), nullable=False),
    sa.Column("decided_name", sa.String(length=256), nullable=False),
    sa.Column("note", sa.String(length=512), nullable=False),
    sa.Column("document", sa.String(length=512), nullable=False),
    sa.Column("created_at", sa.DateTime(), nullable=False),
    sa.Column("decided_at", sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint("id"),
    sa.Index("ix_officer_answers_status", "status"),
)

sa.Table(
    "officer_answer_questions",
    SCHEMA,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("answer_id", sa.Integer(), nullable=False),
    sa.Column("question_id", sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint("id"),
    sa.UniqueConstraint("question_id"),
    sa.Index("ix_officer_answer_questions_answer_id", "answer_id"),
)


def upgrade() -> None:
    bind = op.get_bind()
    present = set(sa.inspect(bind).get_table_names())
    for table in SCHEMA.sorted_tables:
        if table.name not in present:
            table.create(bind)  # with its indexes


def downgrade() -> None:
    for table in reversed(SCHEMA.sorted_tables):
        table.drop(op.get_bind())
