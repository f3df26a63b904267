"""Pure parts of the retriever's confidence."""

from __future__ import annotations

from bot.search.retriever import stated_numbers


def test_the_numbers_a_question_states() -> None:
    assert stated_numbers("Đại hội nhiệm kỳ 2025 - 2030 tổ chức khi nào?") == {"2025", "2030"}
    assert stated_numbers("Hội nghị quý II năm 2025 diễn ra ở đâu?") == {"ii", "2025"}
    assert stated_numbers("Ai là người đứng đầu?") == frozenset()  # "Ai" is no numeral
    assert stated_numbers("dai hoi xiv to chuc khi nao") == frozenset()  # lower case: a word
