"""The real encoder over office documents of several formats (bench/multidoc): the quote a
member reads, its source line, and the contract's ordering."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.answers import answer, source_line, to_json

pytestmark = pytest.mark.slow

MULTIDOC = Path(__file__).parents[2] / "bench" / "multidoc" / "knowledge"


@pytest.fixture(scope="module")
def office_kb(tmp_path_factory: pytest.TempPathFactory, real_encoder):
    """The eight office documents (Word, PDF, web pages, Markdown) without the sample plan."""
    from bot.search.knowledge_base import KnowledgeBase

    base = tmp_path_factory.mktemp("office")
    (base / "knowledge").mkdir()
    for path in MULTIDOC.iterdir():
        if not path.name.startswith("ke-hoach-10-"):
            shutil.copy(path, base / "knowledge" / path.name)
    kb = KnowledgeBase(base / "knowledge", base / "index", real_encoder)
    kb.open()
    return kb


def test_a_word_document_is_quoted_by_sentence_with_its_title_and_date(office_kb) -> None:
    result = answer(office_kb, "Vòng chung khảo tổ chức ở đâu?")
    assert result.answered
    snippet = result.best.snippet
    assert "Hội trường Ủy ban nhân dân xã Tân Phú" in snippet.units[snippet.answer[0]]
    assert "THỜI GIAN, ĐỊA ĐIỂM" not in snippet.text  # the heading is in the source line
    line = source_line(result.best)
    assert line.startswith("KẾ HOẠCH Tổ chức Hội thi tìm hiểu lịch sử Đảng bộ xã Tân Phú")
    assert "III. Thời gian, địa điểm" in line and line.endswith("(12/3/2025)")  # as written


def test_a_printed_pdf_answers_without_its_running_header(office_kb) -> None:
    result = answer(office_kb, "Một buổi sinh hoạt chi bộ kéo dài tối đa bao lâu?")
    assert result.answered
    assert "không quá 120 phút" in result.best.snippet.text
    assert "Đảng ủy xã Tân Phú — Quy chế" not in result.best.chunk.text
    assert "Điều 3. Sinh hoạt thường kỳ" in result.best.chunk.section


def test_a_news_page_is_quoted_without_its_site(office_kb) -> None:
    result = answer(office_kb, "Có bao nhiêu báo cáo viên dự hội nghị quý II?")
    assert result.answered
    assert "35 báo cáo viên" in result.best.snippet.text
    assert source_line(result.best).endswith("(24/06/2025)")


def test_results_are_ordered_by_the_score_they_report(office_kb) -> None:
    for question in ("tuoi tai cu chi uy vien doi voi nam", "Hồ sơ đại hội chi bộ gồm những gì?"):
        scores = [r["score"] for r in to_json(answer(office_kb, question))["results"]]
        assert len(scores) >= 2 and scores == sorted(scores, reverse=True)


def test_asked_for_a_documents_number_the_member_gets_its_letterhead_line(office_kb) -> None:
    result = answer(office_kb, "Số hiệu của kế hoạch tổ chức hội thi là gì?")
    assert result.answered
    # the letterhead's first line (the party body's name) stays out: the quote starts inside
    assert result.best.snippet.text.startswith("… Số 45-KH/ĐU")
    assert source_line(result.best).startswith("KẾ HOẠCH Tổ chức Hội thi")


def test_asked_who_signed_a_document_the_member_gets_the_signer_of_that_one(office_kb) -> None:
    # a Word document's foot (a two-column table) and a PDF's (paragraphs)
    for question, signer, title in (
        ("Ai ký kế hoạch tổ chức hội thi tìm hiểu lịch sử?", "Trần Thị Mai", "KẾ HOẠCH"),
        ("nguoi ky huong dan to chuc dai hoi chi bo la ai", "Lê Hoàng Phúc", "HƯỚNG DẪN"),
    ):
        result = answer(office_kb, question)
        assert result.answered, question
        assert result.best.snippet.text.endswith(signer)
        assert source_line(result.best).startswith(title)


def test_asked_for_a_foot_no_document_has_the_question_is_declined(office_kb) -> None:
    # no «quyết định» in the knowledge base; the news page has no «Nơi nhận»
    for question in (
        "Ai ký quyết định thành lập Ban Giám khảo hội thi?",
        "Thông báo lịch tiếp dân của Bí thư gửi đến những nơi nào?",
    ):
        assert not answer(office_kb, question).answered, question


def test_asked_a_persons_name_where_only_the_office_is_written_the_bot_declines(office_kb) -> None:
    # the news of the conference names the office that held it, not the reporter
    assert not answer(office_kb, "Báo cáo viên Huyện ủy dự hội nghị quý II tên là gì?").answered


def test_a_phone_number_answers_only_a_question_about_what_it_is_for(office_kb) -> None:
    asked = answer(office_kb, "Số điện thoại đăng ký lịch tiếp dân là gì?")
    assert asked.answered
    snippet = asked.best.snippet
    assert any("(0272) 3851 234" in snippet.units[i] for i in snippet.answer)
    # the only phone number written is the reception office's, not the support group's
    assert not answer(office_kb, "Số điện thoại nhóm hỗ trợ sổ tay đảng viên là gì?").answered
