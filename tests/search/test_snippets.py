"""Snippets: the unit that answers, widened sensibly, never over 400 characters."""

from __future__ import annotations

from bot.search.snippets import best_snippet
from bot.text import content_tokens, tokens

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


def test_headings_are_never_quoted_and_cuts_get_an_ellipsis() -> None:
    units = (
        "I - MỤC ĐÍCH, YÊU CẦU",
        "1. Nâng cao nhận thức cho cán bộ, đảng viên về mục đích của kế hoạch.",
        "2. Câu thứ hai nói về việc khác hẳn.",
        "3. Câu thứ ba cũng vậy.",
    )
    snip = best_snippet(content_tokens("Mục đích là gì?"), units, IDF, skip=1)
    assert units[0] not in snip.units
    assert snip.units[snip.answer[0]] == units[1]
    assert len(snip.units) == 2  # the answering sentence and one neighbour
    assert not snip.cut_before and snip.cut_after
    assert snip.text.endswith(" …") and not snip.text.startswith("…")


def test_the_sentence_holding_the_asked_kind_of_fact_wins_a_tie() -> None:
    idf = {"dai": 1.0, "hoi": 1.0, "dai_hoi": 1.0}
    units = (
        "Đại hội là sự kiện chính trị quan trọng của cả nước và của mọi tầng lớp nhân dân ta.",
        "Một câu ở giữa không liên quan, đủ dài để không ai ghép nó vào đoạn trích này cả.",
        "Một câu nữa ở giữa cũng không liên quan, cũng đủ dài để đứng riêng trong đoạn này.",
        "Đại hội được tổ chức vào tháng 01/2026 tại Thủ đô Hà Nội theo kế hoạch đã định.",
    )
    snip = best_snippet(content_tokens("Đại hội tổ chức khi nào?"), units, idf, kind="time")
    assert snip.units[snip.answer[0]] == units[3]
    assert snip.kind_found and snip.cut_before


def test_a_lead_in_is_quoted_with_what_it_introduces() -> None:
    units = ("Câu mở đầu.", "Ban Chỉ đạo 35 có các nhiệm vụ sau:", "- Bảo vệ nền tảng tư tưởng.")
    snip = best_snippet(content_tokens("Ban Chỉ đạo 35 có nhiệm vụ gì?"), units, IDF)
    assert snip.units == units[1:]


def test_a_heading_too_long_for_the_source_line_is_quoted_alone_when_it_answers() -> None:
    idf = {t: 1.0 for t in ["hoi", "nghi", "hoi_nghi", "lan", "thu", "lan_thu", "khoa", "xiii"]}
    heading = (
        "1.4 - Phân tích, lý giải những tư tưởng chỉ đạo được thông qua tại Hội nghị "
        "lần thứ mười Ban Chấp hành Trung ương Đảng khóa XIII"
    )
    units = (heading, "- Thực hiện thắng lợi Nghị quyết là mục tiêu cao nhất.", "- Câu khác.")
    question = content_tokens("Hội nghị lần thứ mấy khóa XIII thông qua tư tưởng chỉ đạo?")
    snip = best_snippet(question, units, idf, skip=1, kind="number")
    assert snip.units == (heading,) and snip.answer == (0,)
    assert snip.cut_after and snip.text.endswith(" …")
    # a short heading stays in the source line, never in the quote
    short = ("1.4 - Hội nghị lần thứ mười khóa XIII", *units[1:])
    snip = best_snippet(question, short, idf, skip=1, kind="number")
    assert short[0] not in snip.units


def test_the_place_and_date_line_of_a_document_answers_nothing() -> None:
    idf = {"dai": 1.0, "hoi": 1.0, "dai_hoi": 1.0, "tan": 1.0, "phu": 1.0}
    units = (
        "Tân Phú, ngày 12 tháng 3 năm 2025",
        "Thực hiện chương trình công tác, Đảng ủy xã Tân Phú chuẩn bị Đại hội.",
    )
    question = content_tokens("Đại hội Tân Phú tổ chức khi nào?")
    snip = best_snippet(question, units, idf, kind="time")
    assert units[0] not in snip.units and not snip.kind_found
    alone = best_snippet(question, units[:1], idf, kind="time")
    assert not alone.kind_found and alone.coverage == 0.0


def test_a_word_every_sentence_holds_does_not_choose_the_sentence() -> None:
    # "Amazon" weighs most in the knowledge base, but every sentence here is about it: the
    # words that set one sentence apart from the others tell which one answers
    idf = {"rung": 0.5, "amazon": 2.0, "han": 0.5, "han_han": 0.5, "rung_amazon": 0.5}
    units = (
        "Rừng Amazon là khu rừng nhiệt đới lớn nhất thế giới hiện nay, rộng hàng triệu km.",
        "Rừng Amazon có hàng triệu loài động vật và thực vật cùng sinh sống trong đó.",
        "Rừng Amazon trải dài trên lãnh thổ của nhiều nước Nam Mỹ, nhiều nhất là Brasil.",
        "Đợt hạn hán gần đây còn nặng nề hơn cả đợt trước đó ở vùng này.",
    )
    snip = best_snippet(content_tokens("Rừng Amazon chịu hạn hán nặng ra sao?"), units, idf)
    assert snip.units[snip.answer[0]] == units[3]
    assert snip.cut_before and not snip.cut_after


def test_an_answer_running_over_two_sentences_is_quoted_whole() -> None:
    # who, then what they did: the two neighbours that answer together beat the one sentence
    # that repeats most of the question; the one answering most of the two is the bold one
    idf = {t: 1.0 for t in tokens("thầy thuốc mô tả chưng cất nước biển")}
    units = (
        "Chưng cất nước biển là việc khó với người xưa.",
        "Một câu ở giữa không liên quan, đủ dài để không ai ghép nó vào đoạn trích này cả.",
        "Thầy thuốc Al-Muwaffaq sống ở thế kỷ thứ mười tại Ba Tư và viết nhiều sách.",
        "Ông cũng mô tả cách chưng cất để có nước uống.",
        "Một câu cuối không liên quan, cũng đủ dài để đứng riêng trong đoạn trích này.",
    )
    question = content_tokens("Thầy thuốc nào mô tả việc chưng cất nước biển?")
    snip = best_snippet(question, units, idf, kind="agent")
    assert snip.units == units[2:4]
    assert snip.units[snip.answer[0]] == units[3]
    assert snip.cut_before and snip.cut_after


def test_asked_for_the_documents_number_the_letterhead_line_is_quoted_with_its_cuts() -> None:
    from bot.search.evidence import REFERENCE

    units = (
        "ĐẢNG BỘ XÃ TÂN PHÚ",
        "Số 45-KH/ĐU",
        "Thực hiện Chương trình công tác năm 2025, Đảng ủy xây dựng Kế hoạch hội thi.",
    )
    question = content_tokens("Kế hoạch hội thi là văn bản số mấy?")
    snippet = best_snippet(question, units, {t: 1.0 for t in question}, kind=REFERENCE, skip=2)
    assert snippet.units == ("Số 45-KH/ĐU",)
    assert snippet.kind_found
    assert snippet.text == "… Số 45-KH/ĐU …"  # the passage goes on either side
