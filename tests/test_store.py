"""The store on SQLite and on PostgreSQL alike: every table, UTC times, prose cut to fit."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

import bot.app  # noqa: F401  (every module that defines tables)
from bot.broadcast.models import Approval, Post
from bot.store import Base, Chat, Question, open_store
from testkit.rows import fill_every_table, read_every_table, sample_rows


@pytest.fixture
def store(database_url):
    store = open_store(database_url)
    yield store
    store.close()


def test_every_table_keeps_what_it_is_given(store):
    written = fill_every_table(store.engine, Base.metadata)
    read = read_every_table(store.engine, Base.metadata)
    assert set(read) >= {
        "chats", "moderators", "questions", "feedback", "broadcast_posts",
        "broadcast_approvals", "broadcast_schedules", "broadcast_occurrences",
        "broadcast_deliveries", "bridge_seen_updates", "bridge_private_chats",
    }  # fmt: skip
    assert read == {name: [row] for name, row in written.items()}


def test_times_come_back_aware_utc_whatever_zone_they_went_in_as(store):
    hanoi = datetime(2026, 12, 1, 8, 0).astimezone()  # local, aware
    with store.session() as session:
        session.add(Question(text="Ngày thành lập Đảng?", answered=False, asked_at=hanoi))
    with store.session() as session:
        asked = session.scalar(select(Question.asked_at))
    assert asked.tzinfo is UTC and asked == hanoi
    with pytest.raises(Exception, match="naive"), store.session() as session:
        session.add(Question(text="x", answered=False, asked_at=datetime(2026, 12, 1)))


def test_a_long_rejection_note_and_title_are_cut_not_refused(store):
    note = "Chưa đúng quy định, cần sửa lại phần trích dẫn. " * 40  # ~2,000 characters
    with store.session() as session:
        post = Post(text="<b>Tin</b>", decision_note=note)
        session.add(post)
        session.add(Chat(chat_id="-100", title="Chi bộ " * 100))
        session.flush()
        session.add(Approval(post_id=post.id, version=1, action="rejected", note=note))
    with store.session() as session:
        assert session.scalar(select(Post.decision_note)) == note[:512]
        assert session.scalar(select(Approval.note)) == note[:512]
        assert session.scalar(select(Chat.title)) == ("Chi bộ " * 100)[:256]


def test_an_id_too_long_for_its_column_is_refused_on_postgresql(store):
    """Ids are never cut (a cut id is another id): PostgreSQL refuses, SQLite keeps it whole."""
    chat_id = "-100" + "9" * 80
    try:
        with store.session() as session:
            session.add(Chat(chat_id=chat_id))
    except Exception as error:
        assert store.engine.dialect.name == "postgresql", error
        return
    assert store.engine.dialect.name == "sqlite"
    with store.session() as session:
        assert session.scalar(select(Chat.chat_id)) == chat_id


def test_sample_rows_cover_every_column():
    rows = sample_rows(Base.metadata)
    for table in Base.metadata.sorted_tables:
        assert set(rows[table.name]) == {c.name for c in table.columns}
