"""The kind of fact a question asks for, with or without diacritics, and sentences holding it."""

from __future__ import annotations

import pytest

from bot.search.evidence import (
    AGENT,
    NAME,
    NUMBER,
    PERSON,
    PHONE,
    PLACE,
    RECIPIENTS,
    REFERENCE,
    SIGNER,
    TIME,
    asked_kind,
    asked_unit,
    counts,
    given_facts,
    given_numbers,
    holds,
)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Đại hội XIV của Đảng tổ chức khi nào?", TIME),
        ("dai hoi xiv cua dang to chuc khi nao", TIME),
        ("Hội thi diễn ra năm nào?", TIME),
        ("Chi bộ có bao nhiêu đảng viên?", NUMBER),
        ("Hội nghị lần thứ mấy thông qua?", NUMBER),
        ("Ai ký kế hoạch?", SIGNER),
        ("Kế hoạch này do ai ký?", SIGNER),
        ("nguoi ky quyet dinh la ai", SIGNER),
        ("Kế hoạch được gửi đến những nơi nào?", RECIPIENTS),
        ("noi nhan cua bao cao", RECIPIENTS),
        # asked of the content, not of a document's foot
        ("Thắc mắc kỹ thuật gửi cho ai?", AGENT),
        ("Ai ký tên vào biên bản?", AGENT),
        # "kỳ" (a term) and "kỷ" (a century) are not "ký"
        ("Kế hoạch thuộc thời kỳ nào?", TIME),
        ("co quan nao chu tri", AGENT),
        ("Hội thi tổ chức ở đâu?", PLACE),
        ("Mục đích của kế hoạch là gì?", ""),
        ("Số điện thoại của văn phòng là gì?", PHONE),
        ("Báo cáo viên dự hội nghị tên là gì?", PERSON),
        ("chi bo hop luc nao", TIME),
        # folded alike, asked differently: "khí nào" (which gas), "quyền lực nào", "máy nào"
        ("Loại khí nào làm lửa bùng phát?", ""),
        ("Chính quyền có sự phân chia quyền lực nào?", ""),
        ("Máy nào được dùng để điểm danh?", ""),
    ],
)
def test_asked_kind(question: str, kind: str) -> None:
    assert asked_kind(question) == kind


def test_sentences_holding_each_kind() -> None:
    assert holds(TIME, "Khai mạc ngày 15/10/2024.")
    assert holds(TIME, "Đại hội họp vào tháng 3 năm 2025.")
    assert not holds(TIME, "Đại hội là sự kiện chính trị quan trọng.")
    assert holds(NUMBER, "Chi bộ có 42 đảng viên.")
    assert holds(NUMBER, "Mỗi đội gồm ba thành viên.")
    assert not holds(NUMBER, "Chi bộ lãnh đạo toàn diện.")
    assert holds(AGENT, "Kế hoạch do Ban Tuyên giáo chủ trì.")
    assert holds(PLACE, "Hội thi diễn ra tại hội trường xã.")
    assert holds("", "bất kỳ câu nào")


def test_a_count_needs_a_number_of_the_asked_thing() -> None:
    assert asked_unit("Chi bộ ấp Tân Hòa có bao nhiêu đảng viên?") == "dang vien"
    assert asked_unit("Mỗi chi bộ cử mấy thí sinh?") == "thi sinh"
    assert asked_unit("Bao nhiêu người đã dự?") == "nguoi"  # "đã" is no part of what is counted
    # either word of what is counted may open its count: "tử thi" written "25 thi thể"
    bodies = asked_unit("Khai quật bao nhiêu tử thi?")
    assert holds(NUMBER, "Họ khai quật 25 thi thể ở London.", bodies)
    assert asked_unit("Kinh phí là bao nhiêu?") == "tien"  # an amount of money
    assert asked_unit("Dân số của thành phố là bao nhiêu?") == ""
    assert holds(NUMBER, "Đảng bộ có 18 chi bộ với tổng số 412 đảng viên.", "dang")
    assert holds(NUMBER, "Mỗi chi bộ cử ba thí sinh tham gia.", "thi")
    assert not holds(NUMBER, "Chi bộ ấp Tân Hòa họp ngày 15 tháng 5 năm 2025.", "dang")
    assert asked_kind("mấy giờ khai mạc") == TIME


def test_times_written_in_words_or_by_the_calendar_are_times() -> None:
    assert holds(TIME, "Chi bộ sinh hoạt vào ngày mồng năm hằng tháng.")
    assert holds(TIME, "Bí thư tiếp dân vào sáng thứ Năm của tuần thứ hai.")


def test_a_term_or_the_start_of_a_span_to_an_event_is_no_time_of_it() -> None:
    assert not holds(TIME, "Đại hội đảng bộ các cấp nhiệm kỳ 2025 - 2030.")
    assert not holds(TIME, "Giai đoạn từ năm 2025 đến Đại hội XIV của Đảng.")
    assert holds(TIME, "Giai đoạn từ năm 2021 đến năm 2025.")
    assert holds(TIME, "Đăng ký từ ngày 1/7 đến 30/7.")


def test_an_amount_of_money_is_written_in_dong() -> None:
    assert asked_unit("Giải Nhất được thưởng bao nhiêu tiền?") == "tien"
    assert holds(NUMBER, "Giải Nhất | 01 giải | 3.000.000 đồng", "tien")
    assert holds(NUMBER, "Kinh phí khoảng 1,2 tỷ đồng.", "tien")
    assert not holds(NUMBER, "Giải Nhất do Ban Tổ chức trao.", "tien")


def test_a_fact_the_question_states_itself_is_no_answer() -> None:
    given = given_numbers("Đại hội nhiệm kỳ 2025 - 2030 tổ chức khi nào?")
    assert not holds(TIME, "Đại hội Đảng bộ Khối nhiệm kỳ 2025 - 2030.", given=given)
    assert holds(TIME, "Đại hội khai mạc ngày 19 tháng 1 năm 2026.", given=given)
    assert not holds(TIME, "Thực hiện Chương trình công tác năm 2025 của Đảng ủy.", given=given)
    assert not holds(NUMBER, "Chi bộ có 2024 lý do.", "dang", frozenset({"2024"}))


def test_a_date_is_no_answer_to_how_many() -> None:
    assert not holds(NUMBER, "Sáng ngày 23 tháng 6 năm 2025, Ban Tuyên giáo tổ chức hội nghị.")
    assert not holds(NUMBER, "Hội nghị họp ngày 30/6/2025 tại hội trường.")
    assert holds(NUMBER, "Ngày 30/6/2025, hội nghị có 120 đại biểu dự.")
    assert holds(NUMBER, "Đảng viên đóng đảng phí bằng 1% tiền lương.", "tien")
    assert holds(NUMBER, "Kinh phí do xã bảo đảm, tổng dự toán 25.000.000 đồng.", "tien")


def test_a_count_is_of_the_thing_right_after_its_number() -> None:
    assert counts("dong", "Chi ủy gồm 3 đến 5 đồng chí.")  # after the end of a range
    assert not counts("chi", "Chi ủy gồm 3 đến 5 đồng chí.")  # "chi ủy viên" is not "đồng chí"
    assert counts("nguoi", "Cử không quá 5 người đại diện.")


def test_a_list_items_own_number_is_no_count() -> None:
    assert not holds(NUMBER, "3. Đưa sổ tay đảng viên điện tử vào sử dụng trước quý IV năm 2025.")
    assert holds(NUMBER, "a) Chi bộ có 42 đảng viên.")


def test_a_phone_number_is_the_answer_to_a_phone_question_not_any_number() -> None:
    assert holds(PHONE, "Mọi thắc mắc xin gọi số 0272 3851 234 trong giờ hành chính.")
    assert holds(PHONE, "Đường dây nóng: 0912.345.678.")
    assert holds(PHONE, "Đăng ký qua điện thoại Văn phòng Đảng ủy xã (0272) 3851 234.")
    assert not holds(PHONE, "Bồi dưỡng nhận thức về Đảng | 40 quần chúng | 32 quần chúng")
    assert not holds(PHONE, "Kinh phí 25.000.000 đồng.")


def test_asked_for_a_name_the_names_the_question_states_are_no_answer() -> None:
    asked = given_facts("Báo cáo viên Huyện ủy tên là gì?")
    # capitalised by convention, named everywhere: "Đại hội XIV của Đảng" names no one
    said = "Báo cáo viên Huyện ủy nói về văn kiện Đại hội XIV của Đảng."
    assert not holds(NAME, said, given=asked)
    assert holds(NAME, "Báo cáo viên Huyện ủy là đồng chí Trần Văn Nam.", given=asked)
    # "ai" is answered by bodies and groups too, so the question's own names still count there
    assert holds(AGENT, "Tuyên truyền đánh giá của các nước đối với Việt Nam.", given=asked)


def test_asked_a_persons_name_an_office_or_a_place_is_no_answer() -> None:
    question = "Báo cáo viên Huyện ủy dự hội nghị quý II tên là gì?"
    assert asked_kind(question) == PERSON
    assert asked_kind("Kế hoạch tên là gì?") == NAME  # a document's name: any name will do
    given = given_facts(question)
    office = "Ban Tuyên giáo Đảng ủy xã Tân Phú tổ chức Hội nghị báo cáo viên quý II."
    assert holds(NAME, office, given=given)
    assert not holds(PERSON, office, given=given)  # an office, and a commune's name
    assert holds(PERSON, "Báo cáo viên là đồng chí Nguyễn Văn An.", given=given)
    assert holds(PERSON, "Nguyễn Văn An, Phó Trưởng ban, trình bày chuyên đề.", given=given)
    assert not holds(PERSON, "Giải Nhất | 01 giải | 3.000.000 đồng", given=given)
    assert not holds(PERSON, "Đoàn Thanh niên xã phối hợp tuyên truyền.", given=given)


def test_the_capital_that_opens_a_table_cell_is_no_name() -> None:
    assert not holds(AGENT, "Giải | Số lượng | Mức thưởng")
    assert holds(AGENT, "Giải | Số lượng | Mức thưởng | Ban Tổ chức")


def test_which_document_asks_for_a_name_or_number() -> None:
    assert asked_kind("Quy chế thay thế văn bản nào?") == AGENT  # named by title or number


def test_a_documents_number_is_the_one_its_letterhead_gives() -> None:
    assert asked_kind("Kế hoạch này là văn bản số mấy?") == REFERENCE
    assert asked_kind("so hieu cua quyet dinh la gi") == REFERENCE
    assert asked_kind("Chi bộ có mấy đảng viên?") == NUMBER
    assert holds(REFERENCE, "Số: 45-KH/ĐU")
    # a number cited inside a sentence is another document's
    assert not holds(REFERENCE, "Thực hiện Hướng dẫn số 124-HD/BTGTU ngày 08/10/2024.")
