"""The database: SQLAlchemy 2 models, sessions, and the one way async code reaches them.

Other packages add their tables by subclassing `Base` (see bot/broadcast/models.py); the
composition root imports them (bot.app). The schema itself is made and changed only by the
Alembic revisions in bot/migrations, which `open_store` applies (or checks): a model change
needs a revision, and tests/test_migrations.py fails until the two agree.

Async code (handlers, the HTTP server) calls `await store.run(fn, *args)`: `fn` is ordinary
synchronous code that opens its own `store.session()`, run on the store's own bounded pool
of threads. Why a pool and not SQLAlchemy's asyncio extension: every model function stays
plain synchronous code that the CLI, the tests and the delivery engine share; SQLite gives
one writer at a time anyway, so async drivers would only move the wait; and a pool of a few
threads bounds how many connections wait on a locked database while the event loop (health
checks, every other chat) keeps running. A session never lives across an `await`.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import ParamSpec, TypeVar

from sqlalchemy import (
    Boolean,
    DateTime,
    Engine,
    Float,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.types import TypeDecorator

from bot import migrations
from bot.clock import utcnow
from bot.errors import SchemaOutdated

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")
PROSE = 256  # String columns at least this long hold text people wrote (see _fit_strings)
STORE_THREADS = 4  # connections that may wait on a locked database at once


class UTCDateTime(TypeDecorator):
    """The one datetime column type: aware UTC in Python, stored naive UTC (SQLite keeps no
    offset), so every table compares one kind of value."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | str | None, dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # SQLite's max()/min() give text back
            value = datetime.fromisoformat(value)
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    pass


@event.listens_for(Base, "before_insert", propagate=True)
@event.listens_for(Base, "before_update", propagate=True)
def _fit_strings(_mapper, _connection, row) -> None:
    """Cut text to its column's length, as SQLite never does and PostgreSQL refuses to.

    Names, titles and notes come from users (a rejection reason is as long as a message);
    on SQLite an over-long one was stored whole, on PostgreSQL the insert would fail and
    lose the whole command. Cutting keeps both stores alike. Only prose columns (256
    characters or more) are cut: a shorter one holds an id or a code, where a cut value
    would silently become another one, so there an over-long value fails loudly.
    Core UPDATEs cut their own values (deliveries.record).
    """
    for column in row.__table__.columns:
        limit = getattr(column.type, "length", None)
        if limit and limit >= PROSE and isinstance(column.type, String):
            value = getattr(row, column.key, None)
            if isinstance(value, str) and len(value) > limit:
                setattr(row, column.key, value[:limit])


class Chat(Base):
    """A chat the bot is in (the group registry broadcasts target)."""

    __tablename__ = "chats"
    __table_args__ = (UniqueConstraint("platform", "chat_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(32), default="telegram")
    chat_id: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(256), default="")
    chat_type: Mapped[str] = mapped_column(String(16), default="group")  # private | group
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    bot_is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    tags: Mapped[str] = mapped_column(String(512), default="")  # comma-separated
    inactive_reason: Mapped[str] = mapped_column(String(256), default="")
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @property
    def tag_set(self) -> set[str]:
        return {t.strip().lower() for t in self.tags.split(",") if t.strip()}


class Moderator(Base):
    """A user an admin granted the moderator role (admins themselves live in the settings)."""

    __tablename__ = "moderators"
    __table_args__ = (UniqueConstraint("platform", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(32), default="telegram")
    user_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(256), default="")
    approver: Mapped[bool] = mapped_column(Boolean, default=False)
    granted_by: Mapped[str] = mapped_column(String(64), default="")
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Question(Base):
    """A question asked, kept for the unanswered log and counts; no user identity (who asked
    an unanswered one is kept apart, in `Asker`, only so that its answer can reach them)."""

    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(32), default="telegram")
    chat_type: Mapped[str] = mapped_column(String(16), default="private")
    text: Mapped[str] = mapped_column(Text)
    answered: Mapped[bool] = mapped_column(Boolean)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    source: Mapped[str] = mapped_column(String(512), default="")  # chunk id of the answer
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Asker(Base):
    """Who asked a question the bot could not answer, so that an approved answer reaches them.

    Kept for unanswered questions only. `status`: waiting (not told yet) -> sending
    (committed before the call) -> sent | unreachable (the platform does not let the bot
    write first, or the member blocked it) | uncertain (the call left, no answer came:
    never sent again). `answer_id` names the approved answer they were told.
    """

    __tablename__ = "question_askers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    question_id: Mapped[int] = mapped_column(Integer, unique=True)
    platform: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[str] = mapped_column(String(64))
    chat_type: Mapped[str] = mapped_column(String(16), default="private")  # where they asked
    status: Mapped[str] = mapped_column(String(16), default="waiting", index=True)
    answer_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    reason: Mapped[str] = mapped_column(String(256), default="")
    told_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Feedback(Base):
    """👍/👎 on an answer; one vote per voter per question (voter is a salted hash)."""

    __tablename__ = "feedback"
    __table_args__ = (UniqueConstraint("question_id", "voter"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    question_id: Mapped[int] = mapped_column(Integer, index=True)
    voter: Mapped[str] = mapped_column(String(64))
    helpful: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Store:
    """An engine and a session factory over one database."""

    def __init__(self, engine: Engine, threads: int = STORE_THREADS) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._threads = threads
        self._pool: ThreadPoolExecutor | None = None

    async def run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run blocking database code off the event loop, on the store's bounded pool."""
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self._threads, thread_name_prefix="store")
        call = functools.partial(fn, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(self._pool, call)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back on error."""
        with self._sessions() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def ping(self) -> bool:
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except Exception:
            return False

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
        self.engine.dispose()


def insert_or_keep(session: Session, model: type[Base], **values) -> None:
    """INSERT … ON CONFLICT DO NOTHING (SQLite and PostgreSQL): a row that another writer
    (another replica) made first stands, and nobody's transaction fails on it."""
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(insert(model).values(**values).on_conflict_do_nothing())


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")  # readers do not block the writer
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def make_engine(url: str) -> Engine:
    """The engine for `url`: a SQLite file's folder made, its connections set up."""
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def open_store(url: str, migrate: bool = True) -> Store:
    """Open the database at `url`; with `migrate`, bring its schema to the code's first.

    Without it (BOT_DB_AUTO_MIGRATE off: an operator runs `python -m bot db upgrade` when
    several replicas share one database) a database whose schema is not the code's is
    refused with the command to run, rather than used half-understood.
    """
    engine = make_engine(url)
    if migrate:
        migrations.upgrade(engine)
    else:
        found, wanted = migrations.current(engine), migrations.head()
        if found != wanted:
            engine.dispose()
            raise SchemaOutdated(
                f"cơ sở dữ liệu ở phiên bản lược đồ {found or '(chưa có)'}, mã cần {wanted}: "
                "chạy `python -m bot db upgrade` (hoặc bật BOT_DB_AUTO_MIGRATE)"
            )
    return Store(engine)
