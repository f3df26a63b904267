"""Question checks: the refusals a member reads."""

from __future__ import annotations

import pytest

from bot.answers import check_question
from bot.errors import InvalidQuestion


def test_too_long_question_message_reads_as_vietnamese() -> None:
    with pytest.raises(InvalidQuestion) as info:
        check_question("x" * 10_000)
    assert str(info.value) == (
        "Câu hỏi quá dài (10.000 ký tự). Vui lòng hỏi ngắn gọn, tối đa 500 ký tự."
    )


def test_nfd_and_control_characters_are_cleaned() -> None:
    assert check_question("Đa\u0309ng\x00  ủy") == "Đảng ủy"
