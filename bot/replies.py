"""What the assistant says, as pure functions: values in, Telegram-HTML text out (Vietnamese).

Every text that quotes a document is escaped with html.escape; an answer never exceeds
Telegram's 4,096 characters: the quote is trimmed, never the source.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.answers import EXAMPLE_QUESTION, NO_ANSWER, source_line
from bot.commands import ROLE_NAMES_VI, Command, Role
from bot.knowledge.document import SkippedFile
from bot.markup import utf16_len  # of the markup: an upper bound of the visible length
from bot.search.retriever import Hit
from bot.text import thousands

MAX_TEXT = 4096
ELLIPSIS = "…"

MORE_LABEL = "Kết quả khác"
HELPFUL_LABEL = "👍"
UNHELPFUL_LABEL = "👎"

THANKS_FOR_VOTE = "Cảm ơn bạn đã góp ý!"
STALE_BUTTON = "Nút này đã cũ. Vui lòng hỏi lại câu hỏi."
INVALID_BUTTON = "Nút này không còn hiệu lực."
ASK_USAGE = f"Cú pháp: /hoi &lt;câu hỏi&gt;\nVí dụ: /hoi {html.escape(EXAMPLE_QUESTION)}"
TEXT_ONLY = (
    "Tôi chỉ đọc được câu hỏi bằng chữ. Hãy gõ câu hỏi bằng tiếng Việt, ví dụ:\n"
    f"{html.escape(EXAMPLE_QUESTION)}"
)
UNKNOWN_COMMAND = "Lệnh không có. Gõ /help để xem các lệnh bạn dùng được."
PRIVATE_ONLY = "Lệnh này chỉ dùng trong tin nhắn riêng với tôi."
ANONYMOUS_REFUSED = (
    "Bạn đang nhắn ẩn danh với tư cách nhóm nên tôi không biết bạn là ai. "
    "Hãy tắt chế độ ẩn danh, hoặc nhắn riêng cho tôi để dùng lệnh này."
)
APOLOGY = "Xin lỗi, tôi gặp sự cố khi xử lý tin nhắn này. Vui lòng thử lại sau ít phút."
RELOAD_BUSY = "Kho tri thức đang được cập nhật. Vui lòng chờ lần cập nhật này xong rồi thử lại."
NOT_READY = "Kho tri thức đang được chuẩn bị. Vui lòng hỏi lại sau ít phút."


def _cut(text: str, limit: int) -> str:
    """`text` cut to at most `limit` UTF-16 units, ending with an ellipsis when cut."""
    if utf16_len(text) <= limit:
        return text
    out = text[: max(limit - 1, 0)]
    while out and utf16_len(out) > limit - 1:
        out = out[:-1]
    return out.rstrip() + ELLIPSIS


_LIST_ITEM = ("- ", "+ ", "• ")


def _quote(units: Sequence[str], answer: Iterable[int], budget: int, lines: bool = False) -> str:
    """The snippet as a blockquote, answering units in bold, trimmed to `budget` units;
    each on a line of its own when they are `lines` (a signature, a «Nơi nhận» list) and
    each list item on its own line, as the document sets them.

    Trimming drops context units first, then shortens the answering unit.
    """
    bold = set(answer)
    keep = list(range(len(units)))

    def render(indexes: list[int], cut: int | None = None) -> str:
        quoted = ""
        for n, i in enumerate(indexes):
            unit = units[i] if cut is None or i not in bold else _cut(units[i], cut)
            text = html.escape(unit)
            if n:
                quoted += "\n" if lines or unit.startswith(_LIST_ITEM) else " "
            quoted += f"<b>{text}</b>" if i in bold else text
        return "<blockquote>" + quoted + "</blockquote>"

    text = render(keep)
    while utf16_len(text) > budget and len(keep) > 1:
        context = [i for i in keep if i not in bold]
        if not context:
            break
        keep.remove(context[-1] if context[-1] > max(bold, default=0) else context[0])
        text = render(keep)
    cut = max(len(units[i]) for i in keep) if keep else 0
    while utf16_len(text) > budget and cut > 1:
        # escaping can lengthen text (& -> &amp;), so shrink by the overflow and re-measure
        cut = max(cut - max(utf16_len(text) - budget, 1), 1)
        text = render(keep, cut)
    return text


@dataclass(frozen=True)
class AnswerView:
    """One page of an answer: which result is shown and how many there are."""

    hit: Hit
    page: int
    total: int


def render_answer(view: AnswerView, limit: int = MAX_TEXT) -> str:
    """The quoted passage, its answering sentence in bold, then its source."""
    header = f"<i>Kết quả {view.page + 1}/{view.total}</i>\n" if view.page else ""
    source = "📄 <b>Nguồn:</b> " + html.escape(source_line(view.hit))
    room = limit - utf16_len(header) - utf16_len(source) - 1
    if room < 40:  # an absurdly long title: keep a short quote and cut the source instead
        source = _cut(source, limit - utf16_len(header) - 200)
        room = limit - utf16_len(header) - utf16_len(source) - 1
    snippet = view.hit.snippet
    units = snippet.display_units or (view.hit.chunk.text,)
    answer = snippet.answer if snippet.units else (0,)
    return header + _quote(units, answer, room, snippet.lines) + "\n" + source


def render_no_answer() -> str:
    return html.escape(NO_ANSWER)


def render_help(commands: Sequence[Command], role: Role, group: bool) -> str:
    """/start and /help: what the bot does and the commands this role may use."""
    lines = [
        "<b>Trợ lý hỏi đáp văn bản đã được phê duyệt.</b>",
        "Tôi trả lời bằng cách trích nguyên văn đoạn văn bản liên quan, kèm nguồn "
        "(tên văn bản, mục, và ngày ban hành khi văn bản có ghi). Tôi không tự soạn nội dung.",
        "",
    ]
    if group:
        lines.append(
            "Trong nhóm, hãy hỏi bằng /hoi &lt;câu hỏi&gt;, nhắc tên tôi, "
            "hoặc trả lời (reply) một tin nhắn của tôi."
        )
    else:
        lines.append("Cứ gõ câu hỏi bằng tiếng Việt (có dấu hoặc không dấu), ví dụ:")
    lines.append(f"<i>{html.escape(EXAMPLE_QUESTION)}</i>")
    lines += ["", f"Các lệnh cho {ROLE_NAMES_VI[role]}:"]
    for command in commands:
        aliases = " ".join(f"/{n}" for n in command.names)
        lines.append(f"{aliases} — {html.escape(command.summary_vi)}")
    return _cut_lines(lines)


def _cut_lines(lines: list[str], limit: int = MAX_TEXT) -> str:
    """Join lines, dropping the last ones (never a half tag) until the text fits."""
    while lines and utf16_len("\n".join(lines)) > limit:
        lines = lines[:-2] + [ELLIPSIS]
    return "\n".join(lines)


def render_refusal(command: str, needed: Role) -> str:
    return f"Lệnh /{html.escape(command)} chỉ dành cho {ROLE_NAMES_VI[needed]}."


def render_too_fast(seconds: float) -> str:
    wait = max(int(seconds + 0.999), 1)
    return f"Bạn thao tác hơi nhanh. Vui lòng đợi khoảng {wait} giây rồi thử lại nhé."


def render_slow_down(seconds: float) -> str:
    wait = max(int(seconds + 0.999), 1)
    return f"Bạn hỏi hơi nhanh. Vui lòng đợi khoảng {wait} giây rồi hỏi tiếp nhé."


STAGE_NAMES = {"đọc tài liệu": "Đọc tài liệu", "mã hóa": "Mã hóa", "ghi chỉ mục": "Ghi chỉ mục"}


def render_progress(stage: str, done: int, total: int) -> str:
    """The one progress message of a reload, edited as the build goes."""
    name = html.escape(STAGE_NAMES.get(stage, stage))
    line = f"{name}: {done}/{total}" if total else name
    if total:
        line += f" ({100 * done // total}%)"
    return f"⏳ Đang cập nhật kho tri thức…\n{line}"


def render_summary(
    documents: int,
    chunks: int,
    embedded: int,
    skipped: Sequence[SkippedFile],
    seconds: float,
    changed: bool = True,
) -> str:
    """The summary a reload ends with: documents, chunks, skipped files with reasons, time."""
    if changed:
        head = (
            f"✅ Đã cập nhật kho tri thức: {documents} tài liệu, {chunks} đoạn "
            f"({embedded} đoạn mới được mã hóa) trong {seconds:.1f} giây."
        )
    else:
        head = (
            f"✅ Kho tri thức không có gì thay đổi: {documents} tài liệu, {chunks} đoạn "
            f"({seconds:.1f} giây)."
        )
    lines = [head]
    if skipped:
        lines.append(f"Bỏ qua {len(skipped)} tệp:")
        lines += [f"• {html.escape(s.path)}: {html.escape(s.reason)}" for s in skipped]
    return _cut_lines(lines)


def render_build_failed(reason: str) -> str:
    return (
        f"❌ Cập nhật kho tri thức thất bại: {html.escape(reason)}\n"
        "Kho tri thức cũ vẫn đang được dùng để trả lời."
    )


@dataclass(frozen=True)
class Usage:
    """What /thongke counts in the store (bot.assistant.records.counts)."""

    questions: int
    answered: int
    helpful: int
    unhelpful: int
    groups: int
    moderators: int


def render_stats(s: Usage, documents: int, chunks: int) -> str:
    share = f"{100 * s.answered / s.questions:.0f}%" if s.questions else "—"
    n = thousands
    return "\n".join(
        [
            "<b>Thống kê</b>",
            f"Câu hỏi: {n(s.questions)} (trả lời được {n(s.answered)}, {share})",
            f"Góp ý: 👍 {n(s.helpful)} · 👎 {n(s.unhelpful)}",
            f"Nhóm đang tham gia: {n(s.groups)}",
            f"Người điều hành: {n(s.moderators)}",
            f"Kho tri thức: {n(documents)} tài liệu, {n(chunks)} đoạn",
        ]
    )
