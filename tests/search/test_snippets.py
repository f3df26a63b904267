"""Snippets: the unit that answers, widened sensibly, never over 400 characters."""

from __future__ import annotations

from bot.search.snippets import best_snippet
from bot.text import content_tokens

IDF = {t: 1.0 for t in ["muc", "dich", "muc_dich", "ban", "chi", "dao", "ban_chi", "chi_dao"]}


def test_best_matching_unit_is_chosen_and_marked() -> None:
    units = (
        "Câu mở đầu dài dòng không liên quan gì đến câu hỏi của người dùng cả. " * 2,
        "Ban Chỉ đạo 35 có nhiệm vụ bảo vệ nền tảng tư tưởng của Đảng, phát huy vai trò.",
        "Câu kết thúc.",
    )
    snip = best_snippet(content_tokens("Ban Chỉ đạo 35 làm gì?"), units, IDF)
    assert units[1] in snip.units
    assert snip.units[snip.answer[0]] == units[1]


def test_a_heading_is_quoted_with_what_follows_it() -> None:
    units = ("I - MỤC ĐÍCH, YÊU CẦU", "1. Nâng cao nhận thức cho cán bộ, đảng viên.", "Câu khác.")
    snip = best_snippet(content_tokens("Mục đích là gì?"), units, IDF)
    assert snip.units[:2] == units[:2]
    assert snip.units[snip.answer[0]] == units[0]


def test_a_snippet_never_exceeds_400_characters() -> None:
    units = ("Mục đích " + "x" * 500, "ngắn.")
    snip = best_snippet(content_tokens("mục đích"), units, IDF)
    assert len(snip.text) <= 400


def test_no_units_gives_an_empty_snippet() -> None:
    assert best_snippet(["a"], (), {}).text == ""
