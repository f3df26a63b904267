"""Composition root: Settings -> services -> platforms. Nothing else wires things together."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Protocol

from bot.assistant import Assistant, AssistantConfig
from bot.assistant.records import load_salt
from bot.assistant.sharing import QueryFirstEncoder
from bot.commands import CommandRegistry
from bot.platforms.base import Platform
from bot.search.encoders import Encoder, make_encoder
from bot.search.knowledge_base import KnowledgeBase
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


def configure_logging(level: int = logging.INFO) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every build at DEBUG
    # httpx logs request URLs at INFO, and a Telegram URL contains the bot token
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)


class Background(Protocol):
    """A service that runs beside the bot (e.g. the broadcast engine)."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


@dataclass
class Services:
    """Everything the platforms share, built once from Settings by `build_services`."""

    settings: Settings
    store: Store
    knowledge: KnowledgeBase
    registry: CommandRegistry
    assistant: Assistant
    # adapters add themselves (name -> Platform) before start(); looked up at send time
    platforms: dict[str, Platform] = field(default_factory=dict)
    background: list[Background] = field(default_factory=list)
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
        await self.assistant.stop()
        self.store.close()


def assistant_config(settings: Settings) -> AssistantConfig:
    return AssistantConfig(
        max_question_chars=settings.max_question_chars,
        rate_burst=settings.question_burst,
        rate_per_minute=settings.questions_per_minute,
        max_upload_bytes=int(settings.max_upload_mb * 1_000_000),
        reload_progress_interval=settings.reload_progress_seconds,
        timezone=settings.timezone,
    )


def build_services(settings: Settings, *, knowledge: KnowledgeBase | None = None) -> Services:
    """Store, knowledge base (opened at start unless given ready), commands, assistant."""
    store = open_store(settings.resolved_database_url)
    # queries go before a rebuild's passages: members are answered during /reload
    knowledge = knowledge or make_knowledge_base(
        settings, QueryFirstEncoder(make_encoder_from(settings))
    )
    registry = CommandRegistry()
    from bot.broadcast.limits import FloodLimiter

    flood = FloodLimiter()  # one budget per bot: replies draw from it ahead of broadcasts
    assistant = Assistant(
        store=store,
        knowledge=knowledge,
        registry=registry,
        admins={
            "telegram": settings.admin_ids,
            **{name: c.admin_ids for name, c in settings.bridge_platforms.items()},
        },
        configured_moderators={n: c.moderator_ids for n, c in settings.bridge_platforms.items()},
        voter_salt=load_salt(settings.data_dir / "voter.salt"),
        config=assistant_config(settings),
        pacer=flood,
    )
    services = Services(settings, store, knowledge, registry, assistant)
    assistant.services = services
    _register_feature_commands(registry)
    services.background.append(make_broadcast_engine(settings, services, flood))
    services.background.append(make_knowledge_keeper(settings, services))
    if settings.bridge_platforms:  # Mocha & co. through the organisation's connector
        from bot.platforms.bridge.wiring import connect_bridges

        connect_bridges(settings, services)
    return services


def make_broadcast_engine(settings: Settings, services: Services, flood=None):
    """The delivery engine: sends through whichever adapters are in services.platforms."""
    from bot.broadcast.engine import BroadcastEngine, EngineOptions

    options = EngineOptions.from_settings(settings)
    return BroadcastEngine(services.store, services.platforms, options, limiter=flood)


def make_knowledge_keeper(settings: Settings, services: Services):
    """Follows published builds, retries a failed one on change, tells the admin chat why."""
    from bot import replies
    from bot.search.keeper import KnowledgeKeeper

    async def tell_admins(reason: str) -> None:
        platform = services.platforms.get("telegram")
        if settings.admin_chat_id is not None and platform is not None:
            text = replies.render_build_failed(reason)
            await services.assistant.courier.send(platform, str(settings.admin_chat_id), text)

    return KnowledgeKeeper(services.knowledge, tell_admins)


def _register_feature_commands(registry: CommandRegistry) -> None:
    """Feature packages add their commands to the one registry (broadcasts, when present)."""
    import importlib

    for module in ("bot.broadcast.commands",):
        try:
            feature = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            continue
        feature.register(registry)
