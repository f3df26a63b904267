"""Prometheus metrics: questions and latency as they happen, deliveries read at scrape time."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import func, select

from bot.store import Store

log = logging.getLogger(__name__)

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class DeliveryStates:
    """bot_deliveries{platform,state,kind}: broadcast copies in each state (from the
    database) and replies by outcome since the start (the courier's count)."""

    def __init__(self, store: Store, replies: Mapping[tuple[str, str], int] | None = None):
        self.store = store
        self.replies = replies if replies is not None else {}

    def collect(self):
        family = GaugeMetricFamily(
            "bot_deliveries",
            "Deliveries by platform and state: broadcast copies, and replies since the start",
            labels=["platform", "state", "kind"],
        )
        try:
            from bot.broadcast.models import Delivery

            with self.store.session() as session:
                rows = session.execute(
                    select(Delivery.platform, Delivery.status, func.count()).group_by(
                        Delivery.platform, Delivery.status
                    )
                ).all()
        except Exception:  # a metrics scrape must not fail because the database hiccuped
            log.exception("reading delivery states for /metrics failed")
            rows = []
        for platform, state, count in rows:
            family.add_metric([platform, state, "broadcast"], count)
        for (platform, state), count in sorted(dict(self.replies).items()):
            family.add_metric([platform, state, "reply"], count)
        yield family


class Metrics:
    """One registry per bot (not the global one), so tests can run several bots at once."""

    def __init__(
        self, store: Store | None = None, replies: Mapping[tuple[str, str], int] | None = None
    ) -> None:
        self.registry = CollectorRegistry()
        self.questions = Counter(
            "bot_questions",
            "Questions asked, by outcome (answered with a quote, or declined)",
            ["platform", "outcome"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "bot_answer_seconds",
            "From a question taken up to its reply handed to the platform",
            ["platform"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.bridge_updates = Counter(
            "bot_bridge_updates",
            "Requests to the bridge, by outcome (accepted or the error code)",
            ["platform", "outcome"],
            registry=self.registry,
        )
        if store is not None:
            self.registry.register(DeliveryStates(store, replies))

    def answered(self, platform: str, answered: bool, seconds: float) -> None:
        """The assistant's answer observer."""
        self.questions.labels(platform, "answered" if answered else "declined").inc()
        self.latency.labels(platform).observe(seconds)

    def render(self) -> bytes:
        return generate_latest(self.registry)
