"""The answer desk in chat: /chuatraloi lists, /traloi answers, approvers decide; thin handlers.

`N` in `/traloi N …` is a group's number in the caller's last /chuatraloi list (kept per
caller, so a question asked in between does not shift it); without a list in memory (after
a restart) the list is made again. Approvers decide with the buttons sent to them or with
/duyettl N and /tuchoitl N lý do, as posts are approved.
"""

from __future__ import annotations

import html
import re

from bot.answerdesk import AnswerDeskError, documents
from bot.answerdesk.grouping import QuestionGroup
from bot.answerdesk.service import AnswerDesk
from bot.broadcast import approvers
from bot.broadcast.approval import Actor
from bot.commands import Command, CommandContext, PressContext, PressHandler, Role

LISTED = 20
USAGE = (
    "Cú pháp: /traloi &lt;số&gt; &lt;nội dung câu trả lời&gt;\n"
    "Số là số thứ tự của nhóm câu hỏi trong /chuatraloi."
)
_DATA = re.compile(r"hd:(ok|no):(\d{1,12})")


def _split(args: str) -> tuple[str, str]:
    """The number and the rest: a line break after the number is a separator too."""
    pieces = args.strip().split(None, 1)
    return (pieces[0] if pieces else "", pieces[1] if len(pieces) > 1 else "")


def actor(ctx: CommandContext) -> Actor:
    msg = ctx.message
    return Actor(msg.platform, msg.user_id, ctx.role, msg.user_name, msg.chat_id)


def render_groups(groups: list[QuestionGroup], desk: AnswerDesk) -> str:
    """The numbered list of groups, most asked first."""
    if not groups:
        return "Chưa có câu hỏi nào bị bỏ ngỏ. 👍"
    lines = [f"<b>Câu hỏi chưa có câu trả lời ({len(groups)} nhóm, hỏi nhiều nhất trước):</b>"]
    for number, group in enumerate(groups, 1):
        times = f" ×{group.count}" if group.count > 1 else ""
        similar = len(group.wordings) - 1
        more = f" (và {similar} cách hỏi tương tự)" if similar else ""
        stamp = documents.stamp(group.last_asked, desk.zone)
        text = documents.esc(" ".join(group.text.split())[:300])
        lines.append(f"{number}. [{stamp}{times}] {text}{more}")
    lines.append("Trả lời: /traloi &lt;số&gt; &lt;nội dung&gt;")
    return "\n".join(lines)


class AnswerCommands:
    """/chuatraloi, /traloi, /duyettl, /tuchoitl and the approval buttons ("hd:")."""

    def __init__(self, desk: AnswerDesk) -> None:
        self.desk = desk
        self._listed: dict[tuple[str, str], list[QuestionGroup]] = {}

    def commands(self) -> list[Command]:
        return [
            Command(
                ("chuatraloi", "unanswered"),
                Role.MODERATOR,
                "các câu hỏi chưa có câu trả lời, gộp theo nội dung, hỏi nhiều nhất trước",
                self.unanswered,
            ),
            Command(
                ("traloi", "answer"),
                Role.MODERATOR,
                "trả lời một nhóm câu hỏi (chờ duyệt): /traloi <số> <nội dung>",
                self.answer,
                private_only=True,
            ),
            Command(
                ("duyettl", "approve_answer"),
                Role.MODERATOR,
                "duyệt câu trả lời: /duyettl <số>",
                self.approve,
                private_only=True,
            ),
            Command(
                ("tuchoitl", "reject_answer"),
                Role.MODERATOR,
                "từ chối câu trả lời: /tuchoitl <số> [lý do]",
                self.reject,
                private_only=True,
            ),
        ]

    def presses(self) -> dict[str, PressHandler]:
        return {"hd": self.on_press}

    async def unanswered(self, ctx: CommandContext) -> None:
        groups = await self.desk.groups(LISTED)
        self._listed[(ctx.message.platform, ctx.message.user_id)] = groups
        await ctx.reply(render_groups(groups, self.desk))

    async def answer(self, ctx: CommandContext) -> None:
        number, text = _split(ctx.message.args)
        if not number:
            await ctx.reply(USAGE)
            return
        if not number.isdigit():
            await ctx.reply(f"«{html.escape(number)}» không phải số thứ tự.\n{USAGE}")
            return
        if not text.strip():
            await ctx.reply(f"Câu trả lời đang trống.\n{USAGE}")
            return
        key = (ctx.message.platform, ctx.message.user_id)
        groups = self._listed.get(key)
        if groups is None:
            groups = self._listed[key] = await self.desk.groups(LISTED)
        index = int(number)
        if not 1 <= index <= len(groups):
            shown = f"1 đến {len(groups)}" if groups else "không có nhóm nào"
            raise AnswerDeskError(
                f"Không có nhóm câu hỏi số {index} (danh sách /chuatraloi: {shown})."
            )
        group = groups[index - 1]
        view = await self.desk.answer(actor(ctx), group, text)
        question = documents.esc(" ".join(group.text.split())[:300])
        await ctx.reply(
            f"Đã ghi câu trả lời số {view.id} cho «{question}» ({view.questions} lượt hỏi). "
            "Câu trả lời chờ người duyệt; khi được duyệt, nó vào kho tri thức và được gửi "
            "riêng cho những người đã hỏi."
        )

    async def approve(self, ctx: CommandContext) -> None:
        await self._decide(ctx, True)

    async def reject(self, ctx: CommandContext) -> None:
        await self._decide(ctx, False)

    async def _decide(self, ctx: CommandContext, yes: bool) -> None:
        number, note = _split(ctx.message.args)
        if not number.isdigit():
            verb = "/duyettl &lt;số&gt;" if yes else "/tuchoitl &lt;số&gt; [lý do]"
            await ctx.reply(f"Cú pháp: {verb} (số câu trả lời).")
            return
        view = await self.desk.decide(actor(ctx), int(number), yes, note.strip())
        await ctx.reply(self._decided(view.id, yes))

    @staticmethod
    def _decided(answer_id: int, yes: bool) -> str:
        if yes:
            return (
                f"Đã duyệt câu trả lời số {answer_id}: đang đưa vào kho tri thức "
                "và gửi cho những người đã hỏi."
            )
        return f"Đã từ chối câu trả lời số {answer_id}; các câu hỏi trở lại danh sách."

    async def on_press(self, ctx: PressContext) -> None:
        """An approver pressed ✅ or ❌ under an answer."""
        pressed = await approvers.read_press(ctx, _DATA)
        if pressed is None:
            return
        m, who = pressed
        yes = m[1] == "ok"
        try:
            view = await self.desk.decide(who, int(m[2]), yes)
        except AnswerDeskError as exc:
            await approvers.refuse_press(ctx, str(exc))
            return
        await approvers.settle_press(ctx, self._decided(view.id, yes))
