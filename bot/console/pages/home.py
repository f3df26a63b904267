"""The console's first page: what waits for the viewer — posts to approve, what goes out in
the next day, deliveries that failed or are uncertain, unanswered questions of the week."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.broadcast import approval
from bot.broadcast.models import ACTIVE, FAILED, PAUSED, UNCERTAIN, Delivery, Post, Schedule
from bot.commands import Role
from bot.console.deps import ConsoleDeps
from bot.console.identity import Viewer
from bot.console.render import NavItem
from bot.store import Question, Store

NAV = NavItem("/", "Tổng quan", Role.MODERATOR)


@dataclass(frozen=True)
class Overview:
    awaiting: int  # posts waiting for an approver
    running: int  # active schedules
    paused: int
    due_soon: int  # schedules due in the next 24 hours
    troubled: int  # deliveries of the last 7 days that failed or are uncertain
    unanswered: int  # questions of the last 7 days the bot could not answer


def overview(store: Store, now: datetime) -> Overview:
    week = now - timedelta(days=7)
    with store.session() as session:

        def count(query) -> int:
            return int(session.scalar(query) or 0)

        by_status = dict(
            session.execute(select(Schedule.status, func.count()).group_by(Schedule.status)).all()
        )
        return Overview(
            awaiting=count(select(func.count(Post.id)).where(Post.status == approval.AWAITING)),
            running=by_status.get(ACTIVE, 0),
            paused=by_status.get(PAUSED, 0),
            due_soon=count(
                select(func.count(Schedule.id)).where(
                    Schedule.status == ACTIVE, Schedule.next_due <= now + timedelta(days=1)
                )
            ),
            troubled=count(
                select(func.count(Delivery.id)).where(
                    Delivery.status.in_((FAILED, UNCERTAIN)), Delivery.updated_at >= week
                )
            ),
            unanswered=count(
                select(func.count(Question.id)).where(
                    Question.answered.is_(False), Question.asked_at >= week
                )
            ),
        )


def routes(deps: ConsoleDeps) -> list[BaseRoute]:
    parts = deps.parts

    @deps.gate.require(Role.MODERATOR)
    async def home(request: Request, viewer: Viewer) -> Response:
        seen = await parts.store.run(overview, parts.store, parts.clock())
        return deps.render.page(request, "home.html", viewer, title=NAV.label, seen=seen)

    return [Route("/", home, methods=["GET"])]
