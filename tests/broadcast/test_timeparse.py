"""Schedules typed by Vietnamese moderators, with a fixed `now`, and every refusal."""

from __future__ import annotations

import datetime as dt
import unicodedata
from zoneinfo import ZoneInfo

import pytest

from bot.broadcast.recurrence import Recurrence, describe
from bot.broadcast.timeparse import ACCEPTED_FORMS_VI, ScheduleError, _Text, parse_schedule

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2026, 11, 26, 9, 0, tzinfo=VN)  # a Thursday morning
TZ = ";tz=Asia/Ho_Chi_Minh"


def parsed(text: str, now: dt.datetime = NOW) -> str:
    return parse_schedule(text, now).to_text().removesuffix(TZ)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # once
        ("20:00 25/12", "once:2026-12-25@20:00"),
        ("20:00 25/12/2026", "once:2026-12-25@20:00"),
        ("25/12 20:00", "once:2026-12-25@20:00"),
        ("20h 25/12", "once:2026-12-25@20:00"),
        ("lúc 20h ngày 25/12/2026", "once:2026-12-25@20:00"),
        ("20:00, 25-12-26", "once:2026-12-25@20:00"),
        ("8h30 mai", "once:2026-11-27@08:30"),
        ("8h30 ngày mai", "once:2026-11-27@08:30"),
        ("9:30 hôm nay", "once:2026-11-26@09:30"),
        ("8h tối mai", "once:2026-11-27@20:00"),
        ("3h chiều 25/12", "once:2026-12-25@15:00"),
        ("12h trưa mai", "once:2026-11-27@12:00"),
        ("8h sáng mai", "once:2026-11-27@08:00"),
        ("tối nay 8h", "once:2026-11-26@20:00"),
        ("8 giờ rưỡi mai", "once:2026-11-27@08:30"),
        ("đăng lúc 8h sáng mai nhé", "once:2026-11-27@08:00"),
        ("8h30 ngày kia", "once:2026-11-28@08:30"),
        ("8:00 thứ 2", "once:2026-11-30@08:00"),
        ("8:00 thứ 2 tới", "once:2026-11-30@08:00"),
        ("20:00 thứ Sáu 27/11/2026", "once:2026-11-27@20:00"),
        ("20:00 thứ 5", "once:2026-11-26@20:00"),
        ("8h thứ 4 2/12", "once:2026-12-02@08:00"),
        # daily
        ("7:30 hằng ngày", "daily@07:30"),
        ("7:30 hàng ngày", "daily@07:30"),
        ("7h30 mỗi ngày", "daily@07:30"),
        # weekly and weekdays
        ("thứ 2 hằng tuần 8:00", "weekly:mon@08:00"),
        ("8:00 thứ 2 hằng tuần", "weekly:mon@08:00"),
        ("thứ hai, thứ tư hằng tuần 8h", "weekly:mon,wed@08:00"),
        ("chủ nhật hằng tuần 19:00", "weekly:sun@19:00"),
        ("thứ 2, 4, 6 hằng tuần 8h", "weekly:mon,wed,fri@08:00"),
        ("mỗi thứ 7 9h", "weekly:sat@09:00"),
        ("t7 và cn hằng tuần 9h", "weekly:sat,sun@09:00"),
        ("8:00 các ngày trong tuần", "weekdays@08:00"),
        ("8:00 ngày thường", "weekdays@08:00"),
        ("thứ 2 đến thứ 6 8h", "weekdays@08:00"),
        ("thứ 2-6 8h", "weekdays@08:00"),
        ("thứ 6 đến chủ nhật 19h", "weekly:fri,sat,sun@19:00"),
        # monthly
        ("9:00 ngày 15 hằng tháng", "monthly:15@09:00"),
        ("9:00 ngày 31 hàng tháng", "monthly:31@09:00"),
        ("9h ngày cuối tháng", "monthly:31@09:00"),
        ("9h mùng 5 hằng tháng", "monthly:5@09:00"),
        # cron
        ("cron 0 8 * * 1-5", "cron:0 8 * * 1-5"),
        ("CRON 0 8 * * MON-FRI", "cron:0 8 * * mon-fri"),
        # start and end
        (
            "thứ 2 hằng tuần 8:00 từ 01/12 đến 31/12",
            "weekly:mon@08:00;start=2026-12-01;end=2026-12-31",
        ),
        ("7:30 hằng ngày từ 01/12", "daily@07:30;start=2026-12-01"),
        ("7:30 hằng ngày đến hết ngày 31/12", "daily@07:30;end=2026-12-31"),
        ("thứ tư từ 02/12 hằng tuần 8h", "weekly:wed@08:00;start=2026-12-02"),
        ("7:30 hằng ngày từ 15/12 đến 15/01", "daily@07:30;start=2026-12-15;end=2027-01-15"),
        (
            "cron 0 8 * * 1-5 từ 01/12/2026 đến 31/12/2026",
            "cron:0 8 * * 1-5;start=2026-12-01;end=2026-12-31",
        ),
    ],
)
def test_accepted_forms(text: str, expected: str) -> None:
    assert parsed(text) == expected


@pytest.mark.parametrize(
    ("typed", "with_diacritics"),
    [
        ("8h30 mai", "8h30 mai"),
        ("7:30 hang ngay", "7:30 hằng ngày"),
        ("7h30 moi ngay", "7h30 mỗi ngày"),
        ("thu 2 hang tuan 8:00", "thứ 2 hằng tuần 8:00"),
        ("chu nhat hang tuan 19:00", "chủ nhật hằng tuần 19:00"),
        ("thu hai, thu tu hang tuan 8h", "thứ hai, thứ tư hằng tuần 8h"),
        ("8:00 cac ngay trong tuan", "8:00 các ngày trong tuần"),
        ("9:00 ngay 15 hang thang", "9:00 ngày 15 hằng tháng"),
        ("9:30 hom nay", "9:30 hôm nay"),
        ("8h toi mai", "8h tối mai"),
        ("THỨ HAI HẰNG TUẦN 8H", "thứ hai hằng tuần 8h"),
        (unicodedata.normalize("NFD", "thứ tư hằng tuần lúc 8 giờ"), "thứ tư hằng tuần 8h"),
        ("7:30 hằng ngày từ 01/12 đến 31/12", "7:30 hằng ngày từ 01/12 đến 31/12"),
    ],
)
def test_without_diacritics_upper_case_and_nfd_read_the_same(
    typed: str, with_diacritics: str
) -> None:
    assert parsed(typed) == parsed(with_diacritics)


@pytest.mark.parametrize(("old", "new"), [("hoà", "hòa"), ("thuỷ", "thủy"), ("khoẻ", "khỏe")])
def test_old_and_new_tone_placement_fold_alike(old: str, new: str) -> None:
    assert _Text(old).folded == _Text(new).folded == _Text(old.upper()).folded


def test_a_day_and_month_already_past_means_next_year() -> None:
    after_christmas = dt.datetime(2026, 12, 26, 9, 0, tzinfo=VN)
    assert parsed("20:00 25/12", after_christmas) == "once:2027-12-25@20:00"


def test_a_time_already_past_today_is_refused_not_moved_a_year() -> None:
    christmas_night = dt.datetime(2026, 12, 25, 21, 0, tzinfo=VN)
    with pytest.raises(ScheduleError, match="đã qua"):
        parse_schedule("20:00 25/12", christmas_night)


def test_a_weekday_already_past_today_means_next_week() -> None:
    assert parsed("8:00 thứ 5") == "once:2026-12-03@08:00"


def test_today_is_the_local_date_not_the_utc_one() -> None:
    late_utc = dt.datetime(2026, 11, 26, 18, 0, tzinfo=dt.UTC)  # 27/11 01:00 in Hà Nội
    assert parsed("8h30 hôm nay", late_utc) == "once:2026-11-27@08:30"


def test_other_time_zone() -> None:
    berlin_evening = dt.datetime(2026, 11, 26, 22, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    rec = parse_schedule("8:30 mai", berlin_evening, tz="Europe/Berlin")
    assert rec == Recurrence.once(dt.datetime(2026, 11, 27, 8, 30), tz="Europe/Berlin")


def test_the_parsed_recurrence_describes_itself() -> None:
    assert describe(parse_schedule("thứ hai, thứ tư hằng tuần 8h", NOW)) == (
        "thứ Hai, thứ Tư hằng tuần lúc 08:00"
    )


def test_naive_now_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        parse_schedule("8h mai", dt.datetime(2026, 11, 26, 9, 0))


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "Chưa ghi lịch"),
        ("mai", "Thiếu giờ"),
        ("hằng ngày", "Thiếu giờ"),
        ("25/12", "Thiếu giờ"),
        ("8h30", "Thiếu ngày"),
        ("25:00 mai", "Giờ «25:00» không hợp lệ"),
        ("8:61 mai", "Giờ «8:61» không hợp lệ"),
        ("12h sáng mai", "«12h sáng» không rõ"),
        ("20:00 31/02", "Ngày 31/02 không tồn tại"),
        ("20:00 30/02", "Ngày 30/02 không tồn tại"),
        ("20:00 31/04/2027", "Ngày 31/04 không tồn tại"),
        ("20:00 13/13", "Tháng 13 không hợp lệ"),
        ("20:00 29/02/2027", "Năm 2027 không phải năm nhuận"),
        ("20:00 29/02", "Năm 2027 không phải năm nhuận"),
        ("8:30 hôm nay", "Thời điểm 08:30 26/11/2026 đã qua"),
        ("20:00 25/12/2025", "Thời điểm 20:00 25/12/2025 đã qua"),
        ("20:00 hôm qua", "đã qua"),
        ("abc 8h mai", "Không hiểu phần «abc»"),
        ("8h30 mia", "Không hiểu phần «mia»"),
        ("8:00 và 9:00 mai", "Chỉ ghi một giờ"),
        ("8:00 hằng tuần", "Thiếu thứ trong tuần"),
        ("9:00 ngày 15", "«ngày 15» thiếu tháng"),
        ("9:00 hằng tháng", "Lịch hằng tháng cần đúng một ngày"),
        ("9:00 ngày 32 hằng tháng", "Lịch hằng tháng cần đúng một ngày"),
        ("thứ 2, thứ 4 8h", "Nhiều thứ trong tuần"),
        ("8h mai 25/12", "chỉ ghi một ngày"),
        ("20:00 thứ năm 27/11/2026", "27/11/2026 là thứ Sáu"),
        ("8h30 hằng ngày mai", "không kèm ngày cụ thể"),
        ("7:30 hằng ngày thứ 2", "«Hằng ngày» không đi cùng thứ"),
        ("8:00 hằng ngày hằng tuần thứ 2", "một kiểu lặp"),
        ("20:00 25/12 từ 01/12", "chỉ dùng cho lịch lặp lại"),
        ("7:30 hằng ngày đến 01/11/2026", "Ngày kết thúc 01/11/2026 đã qua"),
        ("7:30 hằng ngày từ 31/12/2026 đến 01/12/2026", "sau ngày kết thúc"),
        ("7:30 hằng ngày từ 01/12 từ 02/12", "Chỉ ghi một «từ …»"),
        ("8:00 thu 6 toi", "«toi» là «tối» hay «tới»"),
        ("cron 0 8 * *", "Biểu thức cron «0 8 * *» không hợp lệ"),
        ("cron every day", "không hợp lệ"),
    ],
)
def test_refusals_explain_in_vietnamese(text: str, reason: str) -> None:
    with pytest.raises(ScheduleError) as caught:
        parse_schedule(text, NOW)
    assert reason in caught.value.reason
    assert str(caught.value) == f"{caught.value.reason}\n\n{ACCEPTED_FORMS_VI}"


def test_a_recurring_schedule_that_has_ended_today_is_refused() -> None:
    evening = dt.datetime(2026, 11, 26, 21, 0, tzinfo=VN)
    with pytest.raises(ScheduleError, match="đã qua ngày kết thúc"):
        parse_schedule("20:00 hằng ngày đến 26/11", evening)


def test_accepted_forms_list_every_kind() -> None:
    for form in ("25/12", "mai", "hằng ngày", "các ngày trong tuần", "hằng tuần", "hằng tháng"):
        assert form in ACCEPTED_FORMS_VI
    assert "cron 0 8 * * 1-5" in ACCEPTED_FORMS_VI
    assert "từ 01/12 đến 31/12" in ACCEPTED_FORMS_VI
