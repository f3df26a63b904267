"""Calendar: month and week views of every due time (once, recurring, cron) in the bot's
zone, with target groups; schedule a post (an existing one or one written here) on a day,
move a schedule to another time, pause, resume, cancel.

Every change goes through the broadcast feature chat uses (Broadcasts.plan, .submit,
.reschedule, .change_schedule): the same time words («20:00 25/12», «7:30 hằng ngày»,
«cron 0 8 * * 1-5»), the same checks and the same replies as /henlich, /tamdung, /huy.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.broadcast import BroadcastError, approval
from bot.broadcast.models import Post
from bot.broadcast.posts import PostContent, parse_buttons, plain_summary
from bot.commands import Role
from bot.console import calendar
from bot.console.deps import ConsoleDeps
from bot.console.identity import Viewer
from bot.console.render import NavItem
from bot.markup import plain
from bot.store import Store

NAV = NavItem("/lich", "Lịch đăng", Role.MODERATOR)
ACTIONS = {"tamdung": "pause", "tieptuc": "resume", "huy": "cancel"}
NEW_POST = "moi"


def postable(store: Store, limit: int = 100) -> list[tuple[int, str]]:
    """Recent posts a schedule may take (approved or awaiting approval), newest first."""
    with store.session() as session:
        rows = session.scalars(
            select(Post)
            .where(Post.status.in_((approval.APPROVED, approval.AWAITING)))
            .order_by(Post.id.desc())
            .limit(limit)
        ).all()
        return [
            (p.id, f"Bài {p.id} ({approval.STATUS_VI[p.status]}): {plain_summary(p.text, 50)}")
            for p in rows
        ]


def _day(text: str, today: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(text) if text else today
    except ValueError:
        return today


def routes(deps: ConsoleDeps) -> list[BaseRoute]:
    parts, render = deps.parts, deps.render
    tz = parts.config.timezone

    @deps.gate.require(Role.MODERATOR)
    async def show(request: Request, viewer: Viewer) -> Response:
        now = parts.clock()
        today = now.astimezone(ZoneInfo(tz)).date()
        day = _day(request.query_params.get("ngay", ""), today)
        week = request.query_params.get("xem") == "tuan"
        if week:
            start, end = calendar.week_range(day)
            shown, earlier, later = (start, end), start - dt.timedelta(7), end
            label = f"Tuần {start:%d/%m} – {end - dt.timedelta(1):%d/%m/%Y}"
        else:
            first, after, start, end = calendar.month_range(day)
            shown = (first, after)
            earlier = (first - dt.timedelta(days=1)).replace(day=1)
            later = after
            label = f"Tháng {first.month}/{first.year}"
        per_day = 24 if week else 4
        cal = await parts.store.run(
            calendar.build, parts.store, tz, start, end, now, shown, per_day
        )
        posts = await parts.store.run(postable, parts.store)
        picked = _day(request.query_params.get("chon", ""), today)
        return render.page(
            request,
            "lich.html",
            viewer,
            title=NAV.label,
            cal=cal,
            week=week,
            label=label,
            day=day,
            earlier=earlier,
            later=later,
            weekdays=calendar.WEEKDAYS_VI,
            posts=posts,
            new_post=NEW_POST,
            when=f"08:00 {picked:%d/%m/%Y}",
            picked=picked,
            view="tuan" if week else "thang",
        )

    def back(request: Request, told: str = "", failed: str = "") -> Response:
        """To the calendar as the person was looking at it (the form's own query)."""
        view, day = request.query_params.get("xem", ""), request.query_params.get("ngay", "")
        path = f"/lich?{urlencode({'xem': view, 'ngay': day})}" if view and day else "/lich"
        return render.back(path, told, failed)

    @deps.gate.require(Role.MODERATOR)
    async def schedule(request: Request, viewer: Viewer) -> Response:
        form = await request.form()
        chosen = str(form.get("bai") or "")
        when = str(form.get("thoi_gian") or "").strip()
        where = str(form.get("nhom") or "").strip()
        silent, pin = form.get("im_lang") == "1", form.get("ghim") == "1"
        right_now = form.get("gui_ngay") == "1"  # as /guingay: an approved post, now
        who = viewer.actor()
        try:
            if not when and not right_now:
                raise BroadcastError("Cần ghi thời gian, vd «20:00 25/12» hoặc «7:30 hằng ngày».")
            if chosen == NEW_POST:
                text = str(form.get("noi_dung") or "").strip()
                buttons = parse_buttons(str(form.get("nut") or ""))
                if not text:
                    raise BroadcastError("Bài mới: cần nội dung.")
                content = PostContent(text, buttons).check()  # before anything is stored
                post_id, _ = await parts.broadcasts.submit(who, content)
            elif chosen.isdigit():
                post_id = int(chosen)
            else:
                raise BroadcastError("Chọn một bài, hoặc «bài mới» và viết nội dung.")
            due = None if right_now else when
            told = await parts.broadcasts.plan(who, post_id, due, where, silent, pin)
        except BroadcastError as exc:
            return back(request, failed=str(exc))
        return back(request, told=_plain(told))

    @deps.gate.require(Role.MODERATOR)
    async def move(request: Request, viewer: Viewer) -> Response:
        form = await request.form()
        when = str(form.get("thoi_gian") or "").strip()
        try:
            if not when:
                raise BroadcastError("Cần ghi thời gian mới.")
            told = await parts.broadcasts.reschedule(int(request.path_params["id"]), when)
        except BroadcastError as exc:
            return back(request, failed=str(exc))
        return back(request, told=_plain(told))

    @deps.gate.require(Role.MODERATOR)
    async def change(request: Request, viewer: Viewer) -> Response:
        action = ACTIONS.get(request.path_params["action"])
        if action is None:
            return render.refusal(request, viewer, 404, "Không tìm thấy trang", "")
        try:
            told = await parts.broadcasts.change_schedule(int(request.path_params["id"]), action)
        except BroadcastError as exc:
            return back(request, failed=str(exc))
        return back(request, told=_plain(told))

    return [
        Route("/lich", show, methods=["GET"]),
        Route("/lich/hen", schedule, methods=["POST"]),
        Route("/lich/{id:int}/doigio", move, methods=["POST"]),
        Route("/lich/{id:int}/{action:str}", change, methods=["POST"]),
    ]


def _plain(chat_text: str) -> str:
    """A chat reply (Telegram HTML) as the plain sentence the page shows."""
    return " ".join(plain(chat_text).split())
