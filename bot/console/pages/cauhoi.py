"""Questions: unanswered questions grouped by similarity, most asked first; answer a group
(it waits for an approver); approve or reject answers; how askers were told; 👍/👎 on the
answers; charts of questions per day and of the answered share.

Everything goes through the answer desk chat uses (bot/answerdesk/service.py): the same
grouping as /chuatraloi, the same approval rule as /duyettl, the same publication (the
hoi-dap document, the reindex, the private messages).
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.answerdesk import AnswerDeskError, figures
from bot.answerdesk.desk import MAX_ANSWER_CHARS, AnswerView
from bot.answerdesk.documents import stamp
from bot.answerdesk.grouping import QuestionGroup
from bot.answerdesk.models import AWAITING, PUBLISHED, REJECTED
from bot.answerdesk.service import WINDOW
from bot.commands import Role
from bot.console import question_charts
from bot.console.deps import ConsoleDeps
from bot.console.identity import Viewer
from bot.console.render import NavItem
from bot.store import Store

NAV = NavItem("/cauhoi", "Câu hỏi", Role.MODERATOR)
SHOWN = 30  # groups on the page, most asked first
WORDINGS = 5  # wordings shown per group


@dataclass(frozen=True)
class GroupView:
    number: int
    key: int  # the first question's id: names the group in the form
    text: str
    count: int
    last: str
    wordings: tuple[tuple[str, int], ...]  # (wording, times asked)
    more: int  # wordings not shown


@dataclass(frozen=True)
class AnswerCard:
    answer: AnswerView
    created: str
    may_decide: bool
    told: figures.Told
    votes: figures.Votes


def _groups(groups: list[QuestionGroup], zone) -> list[GroupView]:
    return [
        GroupView(
            number=n,
            key=g.wordings[0].first_id,
            text=g.text,
            count=g.count,
            last=stamp(g.last_asked, zone),
            wordings=tuple((w.text, w.count) for w in g.wordings[:WORDINGS]),
            more=max(0, len(g.wordings) - WORDINGS),
        )
        for n, g in enumerate(groups, 1)
    ]


def _may_decide(viewer: Viewer, answer: AnswerView) -> bool:
    """desk.decide's rule, to show the buttons only to those it lets through."""
    mine = (viewer.identity.platform, viewer.identity.user_id) == (
        answer.author_platform,
        answer.author_id,
    )
    return viewer.approver and (viewer.role >= Role.ADMIN or not mine)


def _cards(store: Store, answers: list[AnswerView], viewer: Viewer, zone) -> list[AnswerCard]:
    told = figures.told(store, answers)
    votes = figures.votes_on(store, [a.document for a in answers])
    return [
        AnswerCard(
            answer=a,
            created=stamp(a.decided_at or a.created_at, zone),
            may_decide=a.status == AWAITING and _may_decide(viewer, a),
            told=told.get(a.id, figures.Told()),
            votes=votes.get(a.document, figures.Votes()),
        )
        for a in answers
    ]


def _overview(store: Store, viewer: Viewer, zone, now):
    from bot.answerdesk import desk

    days = figures.per_day(store, zone, now)
    awaiting = desk.listed(store, (AWAITING,), 50)
    done = desk.listed(store, (PUBLISHED, REJECTED), 10)
    return days, _cards(store, awaiting, viewer, zone), _cards(store, done, viewer, zone)


def routes(deps: ConsoleDeps) -> list[BaseRoute]:
    parts, render = deps.parts, deps.render
    answer_desk = parts.answer_desk
    zone = answer_desk.zone

    @deps.gate.require(NAV.role)
    async def page(request: Request, viewer: Viewer) -> Response:
        groups = await answer_desk.groups(SHOWN)
        days, awaiting, done = await parts.store.run(
            _overview, parts.store, viewer, zone, parts.clock()
        )
        asked = sum(d.asked for d in days)
        answered = sum(d.answered for d in days)
        votes = figures.Votes(
            sum(c.votes.helpful for c in done), sum(c.votes.unhelpful for c in done)
        )
        return render.page(
            request,
            "cauhoi.html",
            viewer,
            title=NAV.label,
            groups=_groups(groups, zone),
            awaiting=awaiting,
            done=done,
            days=len(days),
            asked=asked,
            share=f"{100 * answered / asked:.0f}%" if asked else "—",
            votes=votes,
            per_day=question_charts.questions_per_day(days),
            answered_share=question_charts.answered_share(days),
            max_chars=MAX_ANSWER_CHARS,
        )

    @deps.gate.require(NAV.role)
    async def answer(request: Request, viewer: Viewer) -> Response:
        form = await request.form()
        text = str(form.get("noi_dung") or "")
        try:
            key = int(str(form.get("nhom") or ""))
        except ValueError:
            return render.back("/cauhoi", failed="Biểu mẫu thiếu nhóm câu hỏi.")
        # the list again: a member who asked meanwhile joins the group they asked into
        groups = await answer_desk.groups(WINDOW)
        group = next((g for g in groups if key in g.first_ids), None)
        if group is None:
            return render.back(
                "/cauhoi",
                failed="Nhóm câu hỏi này đã có câu trả lời hoặc không còn trong danh sách.",
            )
        try:
            view = await answer_desk.answer(viewer.actor(), group, text)
        except AnswerDeskError as exc:
            return render.back("/cauhoi", failed=str(exc))
        return render.back(
            "/cauhoi",
            told=f"Đã ghi câu trả lời số {view.id} ({view.questions} lượt hỏi): chờ người duyệt.",
        )

    async def _decide(request: Request, viewer: Viewer, yes: bool) -> Response:
        answer_id = int(request.path_params["answer"])
        form = await request.form()
        note = str(form.get("ly_do") or "").strip()
        if not yes and not note:
            return render.back("/cauhoi", failed=f"Từ chối câu trả lời {answer_id}: cần ghi lý do.")
        try:
            await answer_desk.decide(viewer.actor(), answer_id, yes, note)
        except AnswerDeskError as exc:
            return render.back("/cauhoi", failed=str(exc))
        if yes:
            told = (
                f"Đã duyệt câu trả lời số {answer_id}: đang đưa vào kho tri thức "
                "và gửi cho những người đã hỏi."
            )
        else:
            told = f"Đã từ chối câu trả lời số {answer_id}; các câu hỏi trở lại danh sách."
        return render.back("/cauhoi", told=told)

    @deps.gate.require(NAV.role, approver=True)
    async def approve(request: Request, viewer: Viewer) -> Response:
        return await _decide(request, viewer, True)

    @deps.gate.require(NAV.role, approver=True)
    async def reject(request: Request, viewer: Viewer) -> Response:
        return await _decide(request, viewer, False)

    return [
        Route(NAV.path, page, methods=["GET"]),
        Route(f"{NAV.path}/traloi", answer, methods=["POST"]),
        Route(f"{NAV.path}/{{answer:int}}/duyet", approve, methods=["POST"]),
        Route(f"{NAV.path}/{{answer:int}}/tuchoi", reject, methods=["POST"]),
    ]
