"""Text of a web page (.html): the article without the site around it, headings as "#" lines."""

from __future__ import annotations

import re
import warnings

# Private-use characters stand for paragraph and line breaks while HTML whitespace is
# collapsed, so source newlines (insignificant in HTML) never become breaks.
_PARAGRAPH, _LINE = "\ue000", "\ue001"
_DROPPED = "script style nav noscript template svg iframe form aside footer button head".split()
_BLOCKS = (
    "p div section article main header h1 h2 h3 h4 h5 h6 li ul ol table tr caption blockquote "
    "pre dl dt dd figure figcaption address hr details summary"
).split()


def html_document(data: bytes) -> tuple[dict[str, str], str]:
    """(properties, Markdown text) of a web page's main content: the article without the
    site's menus, sidebars, share buttons and footer (trafilatura), its headings as "#"
    lines; title and publication date from the page's metadata. Pages trafilatura finds no
    article in (a bare fragment) fall back to every block element of the body."""
    import trafilatura

    try:
        markup = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        markup = data.decode("cp1258", errors="replace")
    text = trafilatura.extract(
        markup,
        output_format="markdown",
        include_formatting=True,
        include_tables=True,
        include_comments=False,
        include_images=False,
        favor_precision=True,
    )
    meta: dict[str, str] = {"kind": "article"}
    info = trafilatura.extract_metadata(markup)
    if info is not None and info.title:
        meta["title"] = " ".join(info.title.split())
    if info is not None and info.date and re.match(r"\d{4}-\d{2}-\d{2}$", info.date):
        year, month, day = info.date.split("-")
        meta["date"] = f"{day}/{month}/{year}"
    if not text or not text.strip():
        title, text = html_text(data)
        if title:
            meta["title"] = title
        return meta, text
    text = re.sub(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", r"\2", text)
    return meta, "\n\n".join(_join_wrapped(block) for block in text.split("\n\n"))


_LINE_OPENS_ITEM = re.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|\||#)")


def _join_wrapped(block: str) -> str:
    """Source line breaks inside an HTML paragraph are spaces; list items and rows stay lines."""
    lines: list[str] = []
    for line in block.split("\n"):
        if lines and line.strip() and not _LINE_OPENS_ITEM.match(line):
            lines[-1] = f"{lines[-1].rstrip()} {line.strip()}"
        else:
            lines.append(line)
    return "\n".join(lines)


def html_text(data: bytes) -> tuple[str, str]:
    """(title, text) of an HTML page: <title> or the first <h1>, block elements as paragraphs."""
    from bs4 import BeautifulSoup

    try:
        markup: str | bytes = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        markup = data  # let BeautifulSoup read the declared charset
    with warnings.catch_warnings():
        # bs4 warns about markup that looks like a file name or like XML; we parse it anyway.
        warnings.simplefilter("ignore")
        soup = BeautifulSoup(markup, "html.parser")
    title = " ".join(soup.title.get_text(" ").split()) if soup.title else ""
    for element in soup.find_all(_DROPPED):
        element.decompose()
    body = soup.find("article") or soup.find("main") or soup.body or soup
    heading = body.find("h1")
    if not title and heading is not None:
        title = " ".join(heading.get_text(" ").split())
    for br in body.find_all("br"):
        br.replace_with(_LINE)
    for listing in body.find_all(["ul", "ol"]):
        start = _int(listing.get("start"), 1)
        for i, item in enumerate(listing.find_all("li", recursive=False)):
            item.insert(0, f"{start + i}. " if listing.name == "ol" else "- ")
    for cell in body.find_all(["td", "th"]):
        if cell.find_previous_sibling(["td", "th"]) is not None:
            cell.insert(0, " | ")
    for block in body.find_all(_BLOCKS):
        block.insert(0, _PARAGRAPH)
        block.append(_PARAGRAPH)
    text = re.sub(r"\s+", " ", body.get_text())
    text = text.replace(_LINE, "\n").replace(_PARAGRAPH, "\n\n")
    return title, "\n".join(line.strip() for line in text.split("\n"))


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
