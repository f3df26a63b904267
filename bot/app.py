"""Composition root: Settings -> services -> platforms. Nothing else wires things together."""

from __future__ import annotations

import logging

from bot.search.encoders import Encoder, make_encoder
from bot.search.knowledge_base import KnowledgeBase
from bot.settings import Settings


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
    # httpx logs request URLs at INFO, and a Telegram URL contains the bot token
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
