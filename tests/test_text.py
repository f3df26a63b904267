"""Vietnamese normalisation: NFC, tone placement, folding, tokens, accent restore."""

from __future__ import annotations

import unicodedata

import pytest

from bot.text import (
    Vocabulary,
    canonical_tones,
    clean,
    content_tokens,
    fold,
    has_diacritics,
    has_words,
    normalise,
    syllables,
    tokens,
)


@pytest.mark.parametrize(
    ("new", "old"),
    [
        ("hoà bình", "hòa bình"),
        ("thuỷ lợi", "thủy lợi"),
        ("khoẻ mạnh", "khỏe mạnh"),
        ("Hoà", "Hòa"),
        ("HOÀ", "HÒA"),
        ("thuỵ", "thụy"),
        ("loã", "lõa"),
    ],
)
def test_new_tone_placement_becomes_old(new: str, old: str) -> None:
    assert canonical_tones(new) == old


@pytest.mark.parametrize("word", ["hoàng", "thuyền", "quý", "quỷ", "hòa", "thủy", "khuya", "toán"])
def test_words_already_canonical_are_untouched(word: str) -> None:
    assert canonical_tones(word) == word


def test_nfd_input_is_composed_before_anything_else() -> None:
    nfd = unicodedata.normalize("NFD", "Đảng Cộng sản Việt Nam hoà bình")
    assert normalise(nfd) == "Đảng Cộng sản Việt Nam hòa bình"
    assert unicodedata.is_normalized("NFC", normalise(nfd))


def test_clean_removes_control_characters_and_collapses_space() -> None:
    assert clean("  a\x00b\u200b\tc\n\n d ") == "a b c d"


def test_fold_maps_d_bar_and_strips_marks() -> None:
    assert fold("Đảng ỦY Khối") == "dang uy khoi"
    assert fold("đ") == "d"


def test_tokens_are_folded_syllables_plus_bigrams() -> None:
    assert tokens("Ban Chấp hành") == ["ban", "chap", "hanh", "ban_chap", "chap_hanh"]
    assert tokens("hoà") == tokens("hòa") == tokens("hoa")


def test_content_tokens_drop_question_words() -> None:
    got = content_tokens("Mục đích của kế hoạch là gì?")
    assert "gi" not in got and "la_gi" not in got
    assert {"muc", "dich", "muc_dich", "ke_hoach"} <= set(got)


def test_syllables_keep_marks_in_canonical_form() -> None:
    assert syllables("Hoà bình") == ["hòa", "bình"]


def test_has_diacritics_and_words() -> None:
    assert has_diacritics("Đà Nẵng")
    assert has_diacritics("đi")
    assert not has_diacritics("ngay thanh lap dang")
    assert not has_words("🙂🙂 !!")
    assert has_words("a")


def test_restore_uses_the_corpus_vocabulary() -> None:
    vocab = Vocabulary.from_texts(
        ["Ngày thành lập Đảng Cộng sản Việt Nam", "Ban Chấp hành Trung ương Đảng khóa XIII"]
    )
    assert vocab.restore("ngay thanh lap dang cong san") == "ngày thành lập đảng cộng sản"
    assert vocab.restore("ban chap hanh trung uong") == "ban chấp hành trung ương"


def test_restore_prefers_the_pair_seen_in_context() -> None:
    vocab = Vocabulary.from_texts(["bán hàng", "bán hàng", "ban chấp hành", "ban chấp hành"])
    assert vocab.restore("ban chap hanh") == "ban chấp hành"
    assert vocab.restore("ban hang") == "bán hàng"


def test_restore_keeps_unknown_words_and_question_words_work() -> None:
    vocab = Vocabulary.from_texts(["hiệp định thương mại tự do"])
    assert vocab.restore("co bao nhieu hiep dinh xyz") == "có bao nhiêu hiệp định xyz"


def test_vocabulary_round_trips_through_json_shape() -> None:
    vocab = Vocabulary.from_texts(["hòa bình", "hòa bình ổn định"])
    again = Vocabulary.from_dict(vocab.to_dict())
    assert again.forms == vocab.forms and again.pairs == vocab.pairs
