"""An approved answer as a knowledge document (kind hoi-dap) and as a member's message.

The document is Markdown with front matter, read by the same loader as every other
(bot/knowledge/loaders.py): the question is its title; its text is "Hỏi: …" then "Đáp: …",
the question inside the passage so that a member asking it again, in other words or
without diacritics, finds it, and is answered with a quote of the approved answer and its
source. Written under knowledge/hoi-dap/, one file per answer, atomically.
"""

from __future__ import annotations

import html
import json
import re
from datetime import datetime, tzinfo
from pathlib import Path

from bot.answerdesk.desk import AnswerView
from bot.chat import OutgoingMessage
from bot.markup import utf16_len

FOLDER = "hoi-dap"
MAX_TEXT = 4096


def document_name(answer_id: int) -> str:
    """The document's path inside the knowledge folder."""
    return f"{FOLDER}/hoi-dap-{answer_id:05d}.md"


# what the Markdown loader reads as markup (bot/knowledge/formats/markdown.py,
# strip_markdown) and gives back, unescaped, when a backslash precedes it
_MARKUP = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


def verbatim(text: str) -> str:
    """Text the loader will read back as typed: "**", "[…](…)", "---" stay words. A line
    starting with "#" joins the line before it: the chunker would read it as a heading."""
    return _MARKUP.sub(r"\\\1", re.sub(r"\n[ \t]*(?=#)", " ", text))


def esc(text: str) -> str:
    return html.escape(text, quote=False)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def render_document(view: AnswerView, zone: tzinfo) -> str:
    """The Markdown file: front matter (title, kind, date, source, approved_by), then the
    question and the answer, word for word as approved."""
    decided = view.decided_at or view.created_at
    day = decided.astimezone(zone).date().isoformat()
    title = _one_line(view.question)
    meta = {
        "title": title,
        "kind": "hoi-dap",
        "date": day,
        "source": f"Hỏi đáp số {view.id}, trả lời: {_one_line(view.author)}",
        "approved_by": _one_line(view.approver),
    }
    # JSON strings are YAML scalars: quotes, colons and "#" in a question stay text
    head = "\n".join(
        f"{key}: {value}" if key == "date" else f"{key}: {json.dumps(value, ensure_ascii=False)}"
        for key, value in meta.items()
    )
    # a heading equal to the title is dropped from the passage: plain "Hỏi:" keeps it in
    return f"---\n{head}\n---\n\nHỏi: {verbatim(title)}\n\nĐáp: {verbatim(view.text.strip())}\n"


def write_document(knowledge_dir: Path, name: str, content: str) -> None:
    """Write atomically: a build running meanwhile never reads half a file."""
    target = knowledge_dir / name
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(f".{target.name}.part")  # hidden: the folder scan skips it
    part.write_text(content, encoding="utf-8")
    part.replace(target)


def source_text(view: AnswerView, zone: tzinfo) -> str:
    decided = view.decided_at or view.created_at
    day = decided.astimezone(zone).strftime("%d/%m/%Y")
    return f"Hỏi đáp số {view.id}: {_one_line(view.question)} ({day})"


def render_told(view: AnswerView, asked: str, zone: tzinfo) -> OutgoingMessage:
    """The private message to a member who asked: their question, the answer, its source."""
    source = f"📄 <b>Nguồn:</b> {esc(source_text(view, zone))}"
    head = f"Bạn đã hỏi: «{esc(_one_line(asked))}». Câu trả lời đã được duyệt:"
    body = f"<blockquote>{esc(view.text.strip())}</blockquote>"
    text = f"{head}\n{body}\n{source}"
    if utf16_len(text) > MAX_TEXT:  # a very long question: keep the answer whole
        text = f"Câu trả lời đã được duyệt cho câu hỏi của bạn:\n{body}\n{source}"
    return OutgoingMessage(text=text)


def render_card(view: AnswerView, zone: tzinfo, wordings: list[str] | None = None) -> str:
    """An answer as approvers and officers see it in chat."""
    when = view.created_at.astimezone(zone).strftime("%d/%m %H:%M")
    lines = [
        f"<b>Câu trả lời số {view.id}</b> ({esc(view.status_vi)}) — {esc(view.author)}, {when}",
        f"Câu hỏi ({view.questions} lượt hỏi): «{esc(_one_line(view.question)[:300])}»",
    ]
    for other in (wordings or [])[1:4]:
        lines.append(f"  · «{esc(_one_line(other)[:200])}»")
    lines.append(f"<blockquote>{esc(view.text)}</blockquote>")
    if view.note:
        lines.append(f"Lý do: {esc(view.note)}")
    return "\n".join(lines)  # ≤ 300 + 4 × 200 + MAX_ANSWER_CHARS: one message


def stamp(when: datetime, zone: tzinfo) -> str:
    return when.astimezone(zone).strftime("%d/%m %H:%M")
