"""Markdown knowledge files: YAML front matter in, metadata out; markup stripped, words kept.

Web pages arrive here too: trafilatura hands their article over as Markdown.
"""

from __future__ import annotations

import datetime as dt
import re

import yaml

from bot.knowledge.formats import UnreadableFile

_TABLE_RULE = re.compile(r"^[ \t|:-]*-{3,}[ \t|:-]*$", re.M)  # a Markdown table's "|---|---|"
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)^(?:---|\.\.\.)[ \t]*$\n?", re.S | re.M)


def front_matter(text: str) -> tuple[dict[str, str], str]:
    """(metadata, the text after it) of a Markdown file that opens with YAML front matter."""
    if not re.match(r"---[ \t]*\n", text):
        return {}, text
    match = _FRONT_MATTER.match(text)
    if match is None:
        raise UnreadableFile("phần đầu YAML (front matter) thiếu dòng đóng '---'")
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        detail = " ".join(str(exc).split())[:160]
        raise UnreadableFile(f"phần đầu YAML (front matter) không hợp lệ: {detail}") from exc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise UnreadableFile("phần đầu YAML (front matter) phải gồm các dòng 'khóa: giá trị'")
    return {str(k).strip(): _as_text(v) for k, v in data.items()}, text[match.end() :]


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")  # how Vietnamese documents write dates
    if isinstance(value, list | tuple):
        return ", ".join(_as_text(v) for v in value)
    return str(value).strip()


def strip_markdown(text: str) -> str:
    """The text without Markdown's marks: emphasis, links, table rules, escapes."""
    # Passages are quoted verbatim to members: markup goes, every word stays. Headings stay
    # as "#" lines: the chunker reads them as the section tree and never quotes the marks.
    text = re.sub(r"^[ \t]{0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", r"\1 \2", text, flags=re.M)
    text = _TABLE_RULE.sub("", text)
    text = re.sub(r"^[ \t]*\|[ \t]*(.*?)[ \t]*\|[ \t]*$", r"\1", text, flags=re.M)  # table rows
    text = re.sub(r"^[ \t]{0,3}(?:[-*_][ \t]*){3,}$", "", text, flags=re.M)  # thematic breaks
    text = re.sub(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", r"\2", text)
    text = re.sub(r"^([ \t]*)\*[ \t]+", r"\1- ", text, flags=re.M)
    text = re.sub(r"!?\[([^\]\n]*)\]\([^)\n]*\)", r"\1", text)
    return re.sub(r"\\([\\`*_{}\[\]()#+\-.!|])", r"\1", text)
