"""bot.markup: Telegram HTML parsed as Telegram does; plain text, lengths, Vietnamese refusals."""

from __future__ import annotations

import pytest

from bot import markup


def test_plain_keeps_link_addresses_and_decodes_entities():
    text = (
        '<b>Tin</b> &lt;3 <a href="https://a.vn/x">xem</a> <a href="https://b.vn">https://b.vn</a>'
    )
    assert markup.plain(text) == "Tin <3 xem (https://a.vn/x) https://b.vn"
    assert markup.plain("a < b") == "a < b"  # invalid markup still reads as text
    assert markup.plain("<blockquote>«Trích»</blockquote>\nNguồn") == "«Trích»\nNguồn"


def test_lengths_are_utf16_units_of_what_is_shown():
    assert markup.utf16_len("😀a") == 3  # an emoji outside the BMP is two units
    assert markup.visible_len("<b>😀a</b>") == 3
    assert markup.escape("<a & b>") == "&lt;a &amp; b&gt;"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("<?php x ?>", "thẻ <?php> không được dùng"),
        ("<a href=https://x.vn>x</a>", "dấu nháy"),
        ("&#xD800;", "không phải ký tự hợp lệ"),
        ("<b>x</i>", "thẻ </i> đóng sai chỗ (cần </b>)"),
        ("<b>x", "thẻ <b> chưa được đóng"),
        ("a < b", "ký tự < phải viết là &lt;"),
        ('<span class="x">y</span>', "tg-spoiler"),
    ],
)
def test_what_telegram_refuses_is_explained_in_vietnamese(text, reason):
    with pytest.raises(markup.EntityParseError):
        markup.parse_html(text)
    [problem] = markup.problems(text)
    assert reason in problem


def test_what_telegram_accepts_has_no_problems():
    accepted = '<b>a</b> &amp; <i>b</i> a & b <pre><code class="language-py">x</code></pre>'
    assert markup.problems(accepted) == []
    assert markup.problems("<blockquote expandable>x</blockquote>") == []


def test_web_html_renders_only_what_telegram_renders() -> None:
    from bot.markup import web_html

    shown = web_html(
        '<b>Đảng <i>bộ</i></b> 🇻🇳 &lt;script&gt; <a href="https://x.vn/?a=1&amp;b=2">đọc</a>'
        "\n<tg-spoiler>bí</tg-spoiler><blockquote expandable>trích</blockquote>"
    )
    assert shown == (
        "<b>Đảng <i>bộ</i></b> 🇻🇳 &lt;script&gt; "
        '<a href="https://x.vn/?a=1&amp;b=2" rel="noopener noreferrer" target="_blank">đọc</a>'
        '\n<span class="tg-spoiler">bí</span><blockquote class="expandable">trích</blockquote>'
    )


def test_web_html_keeps_nothing_a_browser_would_run() -> None:
    from bot.markup import web_html

    assert web_html('<a href="tg://resolve?domain=x">a</a>').startswith('<a href="tg://')
    assert web_html('<a href="ftp://x">a</a>') == "a"  # a scheme a browser could misuse
    assert web_html("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert web_html('<b onclick="x">b</b>') == "<b>b</b>"  # attributes Telegram ignores
    assert web_html('<pre><code class="language-py">x = 1</code></pre>') == "<pre>x = 1</pre>"
