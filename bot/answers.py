"""A question in, a reply out: the quoted passage with its source, or a polite decline."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.errors import InvalidQuestion
from bot.knowledge.chunking import shorten
from bot.search.retriever import Hit, SearchResult
from bot.text import clean, has_words, thousands

EXAMPLE_QUESTION = "Mục đích của kế hoạch tuyên truyền là gì?"
NO_ANSWER = (
    "Xin lỗi, hiện chưa có nội dung đã được phê duyệt trả lời câu hỏi này. "
    "Câu hỏi đã được ghi lại để cán bộ phụ trách bổ sung."
)


class Searcher(Protocol):
    def search(self, question: str, k: int = 5) -> SearchResult: ...


def check_question(raw: str, max_chars: int = 500) -> str:
    """The cleaned question, or InvalidQuestion with a Vietnamese explanation."""
    text = clean(raw or "")
    if not text:
        raise InvalidQuestion(f"Bạn chưa nhập câu hỏi. Ví dụ: {EXAMPLE_QUESTION}")
    if len(text) > max_chars:
        raise InvalidQuestion(
            f"Câu hỏi quá dài ({thousands(len(text))} ký tự). "
            f"Vui lòng hỏi ngắn gọn, tối đa {max_chars} ký tự."
        )
    if not has_words(text):
        raise InvalidQuestion(
            "Tôi chỉ trả lời được câu hỏi viết bằng chữ. Vui lòng nhập câu hỏi bằng tiếng Việt."
        )
    return text


@dataclass(frozen=True)
class Answer:
    """The outcome of one question: answered or not, and the passages behind it."""

    question: str
    answered: bool
    hits: tuple[Hit, ...]

    @property
    def best(self) -> Hit | None:
        return self.hits[0] if self.hits else None


def answer(searcher: Searcher, raw_question: str, max_chars: int = 500) -> Answer:
    """Search the knowledge base for a question (validated first)."""
    question = check_question(raw_question, max_chars)
    result = searcher.search(question, k=5)
    return Answer(question=question, answered=result.answered, hits=result.hits)


SOURCE_TITLE_CHARS = 120
SOURCE_SECTION_CHARS = 140


def source_line(hit: Hit) -> str:
    """Document title, section path and date (only when known), shortened at word boundaries."""
    chunk = hit.chunk
    parts = [shorten(chunk.title, SOURCE_TITLE_CHARS)]
    if chunk.section:
        parts.append(shorten(chunk.section, SOURCE_SECTION_CHARS))
    line = " — ".join(parts)
    return f"{line} ({chunk.date})" if chunk.date else line


def to_json(ans: Answer) -> dict:
    """The batch contract of `ask --json` (see DESIGN.md)."""
    return {
        "question": ans.question,
        "answered": ans.answered,
        "results": [
            {
                "text": h.chunk.text,
                "snippet": h.snippet.text,
                "source": h.chunk.title,
                "section": h.chunk.section,
                "score": round(h.score, 4),
            }
            for h in ans.hits
        ],
    }


def render_text(ans: Answer) -> str:
    """A plain-text reply for the terminal (CLI and console chat)."""
    if not ans.answered or ans.best is None:
        return NO_ANSWER
    hit = ans.best
    return f"«{hit.snippet.text}»\n\nNguồn: {source_line(hit)}"
