"""Pure parts of the retriever's confidence: what question words weigh, what passages lack."""

from __future__ import annotations

from bot.search.weights import (
    rarest_unwritten,
    rarity,
    stated_numbers,
    unwritten_costs,
    written_numbers,
)


def test_the_numbers_a_question_states() -> None:
    assert stated_numbers("Đại hội nhiệm kỳ 2025 - 2030 tổ chức khi nào?") == {"2025", "2030"}
    assert stated_numbers("Hội nghị quý II năm 2025 diễn ra ở đâu?") == {"ii", "2025"}
    assert stated_numbers("Ai là người đứng đầu?") == frozenset()  # "Ai" is no numeral
    assert stated_numbers("dai hoi xiv to chuc khi nao") == frozenset()  # lower case: a word


def test_a_number_written_inside_a_code_is_written() -> None:
    # the question's "AS-206" is the passage's "AS206": no other flight
    assert stated_numbers("Chuyến bay AS-206 chở bao nhiêu người?") <= written_numbers(
        "Sau chuyến bay thử nghiệm LM AS206 không người lái"
    )


def test_a_passage_lacking_the_questions_rarest_word_costs_only_against_one_that_has_it() -> None:
    idf = {"chuyen_de": 3.0, "chuyen": 2.0, "sinh_hoat": 1.0, "ngay": 0.5}
    rare = rarity(["sinh_hoat", "chuyen_de", "ngay", "truong_hoc"], idf, 4.0)
    assert rare == {"sinh_hoat": 0.25, "chuyen_de": 0.75, "ngay": 0.125}  # unknown: no rarity
    regular = frozenset({"sinh_hoat", "ngay"})
    themed = frozenset({"sinh_hoat", "chuyen_de"})
    assert rarest_unwritten(rare, regular) == 0.75
    assert rarest_unwritten(rare, themed) == 0.125
    costs = unwritten_costs([0.75, 0.125], weight=0.2)
    assert costs[1] == 0.0 and abs(costs[0] - 0.2 * 0.625) < 1e-9
    # a rare word no candidate writes (a paraphrase) lowers none of them
    assert unwritten_costs([0.75, 0.75, 0.75], weight=0.2) == [0.0, 0.0, 0.0]
