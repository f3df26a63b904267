"""Why Telegram would refuse a post's HTML, in Vietnamese, for the moderator who wrote it."""

from __future__ import annotations

import re

from bot.markup.entities import EntityParseError, parse_html

_REFUSALS = [  # Telegram's refusal -> what a moderator should change, in Vietnamese
    (re.compile(r'Unsupported start tag "" '), "ký tự < phải viết là &lt; (và > là &gt;)"),
    (re.compile(r'Unsupported start tag "([^"]*)"'), "thẻ <{0}> không được dùng"),
    (
        re.compile(r'expected "</([^"]*)>", found "</([^"]*)>"'),
        "thẻ </{1}> đóng sai chỗ (cần </{0}>)",
    ),
    (re.compile(r'start tag "([^"]*)"$'), "thẻ <{0}> chưa được đóng"),
    (re.compile(r"Unexpected end tag"), "có thẻ đóng mà không có thẻ mở tương ứng"),
    (re.compile(r'Unclosed start tag "([^"]*)"'), "thẻ <{0}> chưa đóng dấu >"),
    (re.compile(r"Unclosed start tag"), "thẻ chưa đóng dấu > (hoặc dấu nháy)"),
    (re.compile(r"Unclosed end tag"), "thẻ đóng chưa có dấu >"),
    (re.compile(r'attribute of the tag "([^"]*)"'), "thuộc tính của thẻ <{0}> thiếu dấu ="),
    (
        re.compile(r"Unexpected end of name token"),
        'giá trị thuộc tính phải đặt trong dấu nháy, vd <a href="https://…">',
    ),
    (re.compile(r"Empty attribute name"), "thẻ có thuộc tính không tên"),
    (re.compile(r"invalid Unicode"), "có thực thể &#…; không phải ký tự hợp lệ"),
    (re.compile(r'Tag "span"'), 'thẻ <span> chỉ dùng với class="tg-spoiler"'),
]


def problems(markup: str) -> list[str]:
    """Why Telegram would refuse `markup`, in Vietnamese (empty when it would accept it)."""
    try:
        parse_html(markup)
    except EntityParseError as exc:
        reason = str(exc)
        for pattern, vietnamese in _REFUSALS:
            if found := pattern.search(reason):
                return [vietnamese.format(*found.groups())]
        return [f"Telegram không nhận định dạng này: {reason}"]
    return []
