"""Composition root: Settings -> features -> platforms. Nothing else wires things together."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Protocol

from bot import replies
from bot.answerdesk import models as _answerdesk_tables  # noqa: F401  (tables for the schema)
from bot.answerdesk.commands import AnswerCommands
from bot.answerdesk.service import AnswerDesk
from bot.answerdesk.telling import PrivateChatKnown, Teller
from bot.assistant.admin import AdminCommands
from bot.assistant.asking import Asking
from bot.assistant.chats import ChatRegistry
from bot.assistant.core import Assistant, AssistantConfig
from bot.assistant.delivery import Courier
from bot.assistant.ratelimit import InProcess, QuestionLimiter, RateLimiter
from bot.assistant.records import load_salt, shared_salt
from bot.assistant.reloading import Reloader
from bot.assistant.roles import Roles
from bot.assistant.sharing import QueryFirstEncoder
from bot.assistant.stored_limits import StoredRateLimiter
from bot.broadcast import models as _broadcast_tables  # noqa: F401  (tables for the schema)
from bot.broadcast.commands import BroadcastOptions, Broadcasts
from bot.broadcast.engine import BroadcastEngine, EngineOptions
from bot.broadcast.lease import lease_for
from bot.broadcast.limits import FloodLimiter
from bot.broadcast.notify import Approvals
from bot.chat import Platform
from bot.commands import CommandRegistry
from bot.console import models as _console_tables  # noqa: F401  (tables for the schema)
from bot.console.parts import ConsoleConfig, ConsoleParts
from bot.console.signin import SignInLinks
from bot.platforms.bridge import replay as _bridge_tables  # noqa: F401  (tables for the schema)
from bot.platforms.bridge.directory import PrivateChats
from bot.platforms.bridge.wiring import connect_bridges
from bot.platforms.console import USER as CONSOLE_USER
from bot.search.encoders import Encoder, make_encoder
from bot.search.keeper import KnowledgeKeeper
from bot.search.knowledge_base import KnowledgeBase
from bot.server.metrics import Metrics
from bot.settings import Settings
from bot.store import Store, open_store

log = logging.getLogger(__name__)


def make_encoder_from(settings: Settings) -> Encoder:
    return make_encoder(
        settings.embedding_backend,
        model=settings.embedding_model,
        threads=settings.embedding_threads,
        query_prefix=settings.embedding_query_prefix,
        passage_prefix=settings.embedding_passage_prefix,
    )


def make_knowledge_base(settings: Settings, encoder: Encoder | None = None) -> KnowledgeBase:
    """The knowledge base over the configured directories (not yet opened)."""
    return KnowledgeBase(
        settings.knowledge_dir,
        settings.index_dir,
        encoder or make_encoder_from(settings),
        threshold=settings.answer_threshold,
        hnsw_threshold=settings.hnsw_threshold,
    )


class Background(Protocol):
    """A service that runs beside the bot (e.g. the broadcast engine)."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


@dataclass
class Services:
    """What the composition root built from Settings (by `build_services`), for the front ends.

    Only the composition root, the runtime and the adapters' start/stop hooks use it; a
    feature gets its own collaborators at construction and never sees this object.
    """

    settings: Settings
    store: Store
    knowledge: KnowledgeBase
    registry: CommandRegistry
    assistant: Assistant
    broadcasts: Broadcasts
    engine: BroadcastEngine
    reloader: Reloader
    metrics: Metrics
    answer_desk: AnswerDesk
    # adapters add themselves (name -> Platform) before start(); looked up at send time
    platforms: dict[str, Platform] = field(default_factory=dict)
    # part name -> why it is down ("" when up): a part that can fail on its own
    # (Telegram at start) says so here, and /readyz names it
    parts: dict[str, str] = field(default_factory=dict)
    background: list[Background] = field(default_factory=list)
    console: ConsoleParts | None = None  # the web console's features, when it is on
    _opening: asyncio.Task | None = None

    async def start(self) -> None:
        """Open the knowledge base (building it in the background if needed), start services."""
        if not self.knowledge.ready:
            self._opening = asyncio.create_task(self._open_knowledge(), name="open-knowledge")
        await self.assistant.start()
        for service in self.background:
            await service.start()

    async def _open_knowledge(self) -> None:
        try:
            # never waits for a build: the last good index answers while a stale one is rebuilt
            summary = await asyncio.to_thread(self.knowledge.serve_then_refresh)
        except Exception:  # the bot keeps running and says the knowledge base is not ready
            log.exception("could not open the knowledge base")
            return
        if summary is not None:
            log.info(
                "knowledge base built: %d documents, %d chunks", summary.documents, summary.chunks
            )

    async def ready(self) -> None:
        """Until the knowledge base opened at start is serving (or failed to)."""
        if self._opening is not None:
            await asyncio.shield(self._opening)

    async def stop(self) -> None:
        for service in reversed(self.background):
            try:
                await service.stop()
            except Exception:
                log.exception("stopping %s failed", type(service).__name__)
        await self.reloader.stop()
        try:  # questions whose record is still being retried: a short grace, then logged
            await asyncio.wait_for(self.assistant.asking.settle(), 5)
        except TimeoutError:
            log.warning("some questions were not recorded before stopping")
        self.store.close()


def open_database(settings: Settings) -> Store:
    """The store with every table: the modules that define tables are imported above."""
    return open_store(settings.resolved_database_url, settings.resolved_db_auto_migrate)


def assistant_config(settings: Settings) -> AssistantConfig:
    return AssistantConfig(
        max_question_chars=settings.max_question_chars,
        rate_burst=settings.question_burst,
        rate_per_minute=settings.questions_per_minute,
        update_burst=settings.update_burst,
        update_per_minute=settings.updates_per_minute,
        max_upload_bytes=int(settings.max_upload_mb * 1_000_000),
        reload_progress_interval=settings.reload_progress_seconds,
        timezone=settings.timezone,
    )


def question_limiter(store: Store, config: AssistantConfig) -> QuestionLimiter:
    """Members' buckets in memory for one process (SQLite), in the database for replicas."""
    if store.engine.dialect.name == "sqlite":
        return InProcess(RateLimiter(config.rate_burst, config.rate_per_minute))
    return StoredRateLimiter(store, config.rate_burst, config.rate_per_minute)


def broadcast_options(settings: Settings) -> BroadcastOptions:
    return BroadcastOptions(
        approval_required=settings.broadcast_approval_required, timezone=settings.timezone
    )


def build_services(settings: Settings, *, knowledge: KnowledgeBase | None = None) -> Services:
    """Every feature, built from exactly its collaborators, and the command registry.

    Order matters only for /help: commands are listed in registration order.
    """
    store = open_database(settings)
    # queries go before a rebuild's passages: members are answered during /reload
    knowledge = knowledge or make_knowledge_base(
        settings, QueryFirstEncoder(make_encoder_from(settings))
    )
    flood = FloodLimiter()  # one budget per bot: replies draw from it ahead of broadcasts
    config = assistant_config(settings)
    platforms: dict[str, Platform] = {}
    roles = Roles(
        store,
        admins={
            "telegram": settings.admin_ids,
            "console": [CONSOLE_USER],  # the person at the terminal runs the bot
            **{name: c.admin_ids for name, c in settings.bridge_platforms.items()},
        },
        configured_moderators={n: c.moderator_ids for n, c in settings.bridge_platforms.items()},
    )
    chats = ChatRegistry(store)
    courier = Courier(on_gone=chats.gone, pacer=flood)
    metrics = Metrics(store, courier.outcomes)  # replies' outcomes beside the broadcasts'
    asking = Asking(
        knowledge,
        store,
        courier,
        question_limiter(store, config),
        shared_salt(store, load_salt(settings.data_dir / "voter.salt")),
        config.max_question_chars,
        observer=metrics.answered,
    )
    reloader = Reloader(knowledge, courier, config.reload_progress_interval)
    admin = AdminCommands(
        store=store,
        knowledge=knowledge,
        roles=roles,
        reloader=reloader,
        courier=courier,
        timezone=config.timezone,
        max_upload_bytes=config.max_upload_bytes,
    )
    # the delivery engine sends through whichever adapters are in `platforms` at send time
    # on PostgreSQL, replicas take turns: only the sending lease's holder sends (lease.py)
    engine = BroadcastEngine(
        store,
        platforms,
        EngineOptions.from_settings(settings),
        limiter=flood,
        lease=lease_for(store.engine),
    )
    approvals = Approvals(
        store=store,
        platforms=platforms,
        admin_ids=settings.admin_ids,
        wake=engine.wake,
        bridge_admins={n: c.admin_ids for n, c in settings.bridge_platforms.items()},
    )
    broadcasts = Broadcasts(
        store=store,
        options=broadcast_options(settings),
        knowledge=knowledge,
        approvals=approvals,
    )
    answer_desk = AnswerDesk(
        store=store,
        encoder=knowledge.encoder,
        knowledge_dir=settings.knowledge_dir,
        reloader=reloader,
        teller=Teller(store, platforms, private_chat_known(settings, store), pacer=flood),
        platforms=platforms,
        admin_ids=settings.admin_ids,
        bridge_admins={n: c.admin_ids for n, c in settings.bridge_platforms.items()},
        timezone=config.timezone,
    )
    answers = AnswerCommands(answer_desk)
    registry = CommandRegistry()
    assistant = Assistant(
        registry=registry,
        roles=roles,
        chats=chats,
        asking=asking,
        courier=courier,
        config=config,
    )
    console = console_parts(
        settings, store, roles, broadcasts, knowledge, reloader, platforms, answer_desk
    )
    signin = SignInLinks(store, console.config).commands() if console else []
    for command in [
        *assistant.commands(),
        *admin.commands(),
        *answers.commands(),
        *broadcasts.commands(),
        *signin,
    ]:
        registry.add(command)
    for prefix, handler in {**broadcasts.presses(), **answers.presses()}.items():
        registry.add_press(prefix, handler)
    registry.upload = admin.upload
    services = Services(
        settings,
        store,
        knowledge,
        registry,
        assistant,
        broadcasts,
        engine,
        reloader,
        metrics,
        answer_desk,
        platforms=platforms,
        background=[
            engine,
            make_knowledge_keeper(settings, knowledge, platforms, courier),
            answer_desk,
        ],
        console=console,
    )
    if settings.bridge_platforms:  # Mocha & co. through the organisation's connector
        services.background.append(connect_bridges(settings, platforms, store))
    return services


def private_chat_known(settings: Settings, store: Store) -> PrivateChatKnown:
    """Whether the bot may write first to a member who asked in a group: a bridge knows
    the private chats members opened (its directory); Telegram answers only by trying."""
    directory = PrivateChats(store)
    bridges = set(settings.bridge_platforms)

    def known(platform: str, user_id: str) -> bool | None:
        if platform in bridges:
            return directory.chat_of(platform, user_id) is not None
        return None

    return known


def console_parts(
    settings: Settings,
    store: Store,
    roles: Roles,
    broadcasts: Broadcasts,
    knowledge: KnowledgeBase,
    reloader: Reloader,
    platforms: dict[str, Platform],
    answer_desk: AnswerDesk,
) -> ConsoleParts | None:
    """The web console's features, or None when it is off (BOT_CONSOLE_ENABLED and
    BOT_PUBLIC_URL both needed)."""
    if not settings.console_on:
        return None
    config = ConsoleConfig(
        public_url=settings.public_url.rstrip("/"),
        session_lifetime=timedelta(hours=settings.console_session_hours),
        bot_token=settings.telegram_token.get_secret_value(),
        timezone=settings.timezone,
        max_upload_bytes=int(settings.max_upload_mb * 1_000_000),
    )
    return ConsoleParts(
        config, store, roles, broadcasts, knowledge, reloader, platforms, answer_desk
    )


def make_knowledge_keeper(
    settings: Settings, knowledge: KnowledgeBase, platforms: dict[str, Platform], courier: Courier
) -> KnowledgeKeeper:
    """Follows published builds, retries a failed one on change, tells the admin chat why."""

    async def tell_admins(reason: str) -> None:
        platform = platforms.get("telegram")
        if settings.admin_chat_id is not None and platform is not None:
            text = replies.render_build_failed(reason)
            await courier.send(platform, str(settings.admin_chat_id), text)

    return KnowledgeKeeper(knowledge, tell_admins)
