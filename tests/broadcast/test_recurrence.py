"""Calendar arithmetic of `Recurrence`: month ends, zones, DST, windows, serialisation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from bot.broadcast.recurrence import Recurrence, describe, next_occurrence, occurrences_between

UTC = dt.UTC
VN = ZoneInfo("Asia/Ho_Chi_Minh")
BERLIN = ZoneInfo("Europe/Berlin")


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def local(zone: ZoneInfo, *args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=zone)


def local_days(occurrences: list[dt.datetime], zone: ZoneInfo = VN) -> list[str]:
    return [o.astimezone(zone).strftime("%Y-%m-%d %H:%M") for o in occurrences]


# --- month ends -------------------------------------------------------------------------


def test_monthly_on_31_falls_on_the_last_day_of_shorter_months() -> None:
    rec = Recurrence.monthly(31, dt.time(9))
    found = occurrences_between(rec, utc(2026, 1, 1), utc(2026, 7, 1))
    assert local_days(found) == [
        "2026-01-31 09:00",
        "2026-02-28 09:00",
        "2026-03-31 09:00",
        "2026-04-30 09:00",
        "2026-05-31 09:00",
        "2026-06-30 09:00",
    ]


def test_monthly_on_31_is_29_february_in_a_leap_year() -> None:
    rec = Recurrence.monthly(31, dt.time(9))
    assert local_days(occurrences_between(rec, utc(2028, 2, 1), utc(2028, 3, 1))) == [
        "2028-02-29 09:00"
    ]


@pytest.mark.parametrize(
    ("day", "year", "expected"),
    [(29, 2027, "2027-02-28"), (29, 2028, "2028-02-29"), (30, 2028, "2028-02-29")],
)
def test_monthly_late_day_in_february(day: int, year: int, expected: str) -> None:
    rec = Recurrence.monthly(day, dt.time(9))
    found = occurrences_between(rec, utc(year, 2, 1), utc(year, 3, 1))
    assert local_days(found) == [f"{expected} 09:00"]


def test_monthly_never_fires_twice_in_a_month() -> None:
    rec = Recurrence.monthly(31, dt.time(0, 5))
    found = occurrences_between(rec, utc(2026, 1, 1), utc(2030, 1, 1))
    months = [o.astimezone(VN).strftime("%Y-%m") for o in found]
    assert len(months) == len(set(months)) == 48


def test_once_on_the_leap_day() -> None:
    rec = Recurrence.once(dt.datetime(2028, 2, 29, 20, 0))
    assert next_occurrence(rec, utc(2028, 1, 1)) == utc(2028, 2, 29, 13, 0)
    assert next_occurrence(rec, utc(2028, 2, 29, 13, 0)) is None


# --- the Asia/Ho_Chi_Minh vs UTC date boundary ------------------------------------------


def test_seven_local_is_midnight_utc_the_same_date() -> None:
    rec = Recurrence.daily(dt.time(7, 0))
    assert next_occurrence(rec, utc(2026, 11, 25, 23, 59)) == utc(2026, 11, 26, 0, 0)
    # Strictly after: an occurrence exactly at `after` is not returned again.
    assert next_occurrence(rec, utc(2026, 11, 26, 0, 0)) == utc(2026, 11, 27, 0, 0)


def test_half_past_six_local_is_the_previous_utc_day() -> None:
    rec = Recurrence.daily(dt.time(6, 30))
    assert next_occurrence(rec, local(VN, 2026, 11, 26, 0, 0)) == utc(2026, 11, 25, 23, 30)


def test_weekly_monday_early_morning_is_sunday_in_utc() -> None:
    rec = Recurrence.weekly({0}, dt.time(6, 30))
    found = next_occurrence(rec, utc(2026, 11, 26))
    assert found == utc(2026, 11, 29, 23, 30)
    assert found.astimezone(VN).weekday() == 0


def test_after_in_another_zone_means_the_same_instant() -> None:
    rec = Recurrence.daily(dt.time(8))
    after = utc(2026, 11, 26, 2, 0)
    assert next_occurrence(rec, after) == next_occurrence(rec, after.astimezone(BERLIN))


def test_naive_datetimes_are_rejected() -> None:
    rec, naive = Recurrence.daily(dt.time(8)), dt.datetime(2026, 11, 26)
    with pytest.raises(ValueError):
        next_occurrence(rec, naive)
    with pytest.raises(ValueError):
        occurrences_between(rec, utc(2026, 11, 1), naive)


# --- a DST zone -------------------------------------------------------------------------


def test_berlin_spring_forward_shifts_the_missing_half_past_two_to_half_past_three() -> None:
    rec = Recurrence.daily(dt.time(2, 30), tz="Europe/Berlin")
    found = occurrences_between(rec, utc(2026, 3, 27), utc(2026, 3, 31))
    assert local_days(found, BERLIN) == [
        "2026-03-27 02:30",
        "2026-03-28 02:30",
        "2026-03-29 03:30",
        "2026-03-30 02:30",
    ]
    assert found[2] == utc(2026, 3, 29, 1, 30)


def test_berlin_fall_back_posts_the_ambiguous_half_past_two_once() -> None:
    rec = Recurrence.daily(dt.time(2, 30), tz="Europe/Berlin")
    found = occurrences_between(rec, utc(2026, 10, 24), utc(2026, 10, 27))
    # 25/10 02:30 happens at 00:30 UTC (CEST) and again at 01:30 UTC (CET): only the first.
    assert found == [utc(2026, 10, 24, 0, 30), utc(2026, 10, 25, 0, 30), utc(2026, 10, 26, 1, 30)]
    assert next_occurrence(rec, utc(2026, 10, 25, 0, 30)) == utc(2026, 10, 26, 1, 30)


def test_berlin_cron_across_spring_forward_has_no_duplicates() -> None:
    rec = Recurrence.cron("*/30 * * * *", tz="Europe/Berlin")
    found = occurrences_between(rec, utc(2026, 3, 29, 0, 0), utc(2026, 3, 29, 2, 0))
    # 02:00 and 02:30 do not exist; they shift onto 03:00 and 03:30 and are not doubled.
    assert local_days(found, BERLIN) == [
        "2026-03-29 01:30",
        "2026-03-29 03:00",
        "2026-03-29 03:30",
        "2026-03-29 04:00",
    ]
    assert next_occurrence(rec, utc(2026, 3, 29, 0, 45)) == utc(2026, 3, 29, 1, 0)


def test_berlin_cron_across_fall_back_skips_the_repeated_hour() -> None:
    rec = Recurrence.cron("*/30 * * * *", tz="Europe/Berlin")
    found = occurrences_between(rec, utc(2026, 10, 24, 23, 0), utc(2026, 10, 25, 3, 0))
    assert [o.astimezone(BERLIN).strftime("%H:%M%z") for o in found] == [
        "01:30+0200",
        "02:00+0200",
        "02:30+0200",
        "03:00+0100",
        "03:30+0100",
        "04:00+0100",
    ]


# --- weekly, weekdays, windows ----------------------------------------------------------


def test_weekly_on_several_days() -> None:
    rec = Recurrence.weekly({0, 2, 4}, dt.time(8))
    found = occurrences_between(rec, utc(2026, 11, 29), utc(2026, 12, 13))
    assert [o.astimezone(VN).strftime("%a %d") for o in found] == [
        "Mon 30",
        "Wed 02",
        "Fri 04",
        "Mon 07",
        "Wed 09",
        "Fri 11",
    ]


def test_weekdays_skip_the_weekend() -> None:
    rec = Recurrence.weekdays(dt.time(8))
    found = occurrences_between(rec, utc(2026, 11, 27), utc(2026, 12, 5))
    assert [o.astimezone(VN).weekday() for o in found] == [4, 0, 1, 2, 3, 4]


def test_end_date_is_inclusive() -> None:
    rec = Recurrence.daily(dt.time(23, 30), end=dt.date(2026, 12, 31))
    last = next_occurrence(rec, utc(2026, 12, 31))
    assert last == local(VN, 2026, 12, 31, 23, 30)
    assert next_occurrence(rec, last) is None
    assert next_occurrence(rec, utc(2027, 6, 1)) is None


def test_start_date_in_the_future() -> None:
    rec = Recurrence.weekly({0}, dt.time(8), start=dt.date(2027, 1, 1))
    assert next_occurrence(rec, utc(2026, 11, 26)) == local(VN, 2027, 1, 4, 8)


def test_start_and_end_bound_a_cron() -> None:
    rec = Recurrence.cron("0 8 * * *", start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 3))
    found = occurrences_between(rec, utc(2026, 11, 1), utc(2027, 1, 1))
    assert local_days(found) == ["2026-12-01 08:00", "2026-12-02 08:00", "2026-12-03 08:00"]


def test_cron_is_read_in_the_zone() -> None:
    rec = Recurrence.cron("0 8 * * 1-5")
    assert next_occurrence(rec, utc(2026, 11, 27, 1, 0)) == utc(2026, 11, 30, 1, 0)
    berlin = Recurrence.cron("0 8 * * 1-5", tz="Europe/Berlin")
    # Friday 08:00 in Berlin (CET) is 07:00 UTC; strictly after it comes Monday's.
    assert next_occurrence(berlin, utc(2026, 11, 27, 7, 0)) == utc(2026, 11, 30, 7, 0)


def test_cron_that_never_matches_has_no_occurrence() -> None:
    assert next_occurrence(Recurrence.cron("0 0 30 2 *"), utc(2026, 1, 1)) is None


def test_restart_gap_catches_up_every_missed_occurrence_once() -> None:
    rec = Recurrence.daily(dt.time(8))
    last_tick, now = utc(2026, 11, 26, 2, 0), utc(2026, 11, 29, 2, 0)
    missed = occurrences_between(rec, last_tick, now)
    assert missed == [utc(2026, 11, 27, 1), utc(2026, 11, 28, 1), utc(2026, 11, 29, 1)]
    # Ticking in windows that end exactly on an occurrence neither loses nor repeats it.
    edges = [last_tick, utc(2026, 11, 27, 1), utc(2026, 11, 28, 12), now]
    ticked = [o for a, b in pairwise(edges) for o in occurrences_between(rec, a, b)]
    assert ticked == missed


@pytest.mark.parametrize(
    "rec",
    [
        Recurrence.daily(dt.time(2, 30), tz="Europe/Berlin"),
        Recurrence.weekly({1, 6}, dt.time(6, 30)),
        Recurrence.monthly(31, dt.time(23, 59)),
        Recurrence.cron("15 */5 * * *", tz="Europe/Berlin"),
    ],
)
def test_next_occurrence_walks_the_same_path_as_occurrences_between(rec: Recurrence) -> None:
    start, end = utc(2026, 1, 1), utc(2027, 1, 1)
    walked: list[dt.datetime] = []
    cursor = next_occurrence(rec, start)
    while cursor is not None and cursor <= end:
        walked.append(cursor)
        cursor = next_occurrence(rec, cursor)
    between = occurrences_between(rec, start, end)
    assert walked == between
    assert all(a < b for a, b in pairwise(between))
    assert all(o.tzinfo == UTC for o in between)


# --- the value: validation, serialisation, description ----------------------------------


@pytest.mark.parametrize(
    ("rec", "text"),
    [
        (
            Recurrence.once(dt.datetime(2026, 12, 25, 20)),
            "once:2026-12-25@20:00;tz=Asia/Ho_Chi_Minh",
        ),
        (Recurrence.daily(dt.time(7, 30)), "daily@07:30;tz=Asia/Ho_Chi_Minh"),
        (Recurrence.weekdays(dt.time(8)), "weekdays@08:00;tz=Asia/Ho_Chi_Minh"),
        (
            Recurrence.weekly(
                [2, 0], dt.time(8), start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 31)
            ),
            "weekly:mon,wed@08:00;start=2026-12-01;end=2026-12-31;tz=Asia/Ho_Chi_Minh",
        ),
        (Recurrence.monthly(31, dt.time(9)), "monthly:31@09:00;tz=Asia/Ho_Chi_Minh"),
        (Recurrence.cron("0  8 * * 1-5", tz="Europe/Berlin"), "cron:0 8 * * 1-5;tz=Europe/Berlin"),
    ],
)
def test_round_trip_serialisation(rec: Recurrence, text: str) -> None:
    assert rec.to_text() == text
    assert Recurrence.from_text(text) == rec


def test_days_given_as_a_list_are_stored_as_a_set() -> None:
    rec = Recurrence("weekly", time=dt.time(8), days=[0, 2])  # type: ignore[arg-type]
    assert rec == Recurrence.weekly({2, 0}, dt.time(8))
    assert hash(rec) == hash(Recurrence.weekly({2, 0}, dt.time(8)))


def test_once_from_an_aware_datetime_keeps_the_instant() -> None:
    rec = Recurrence.once(utc(2026, 12, 25, 13, 0))
    assert rec.to_text() == "once:2026-12-25@20:00;tz=Asia/Ho_Chi_Minh"
    assert next_occurrence(rec, utc(2026, 1, 1)) == utc(2026, 12, 25, 13, 0)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "yearly@08:00;tz=Asia/Ho_Chi_Minh",
        "daily;tz=Asia/Ho_Chi_Minh",
        "daily@25:00;tz=Asia/Ho_Chi_Minh",
        "weekly:mon,xyz@08:00;tz=Asia/Ho_Chi_Minh",
        "monthly:x@08:00;tz=Asia/Ho_Chi_Minh",
        "daily@08:00;colour=red",
        "daily@08:00;tz=Mars/Olympus",
        "cron:0 8 * *;tz=Asia/Ho_Chi_Minh",
    ],
)
def test_from_text_rejects_garbage(text: str) -> None:
    with pytest.raises(ValueError):
        Recurrence.from_text(text)


@pytest.mark.parametrize(
    "build",
    [
        lambda: Recurrence.weekly([], dt.time(8)),
        lambda: Recurrence.weekly([7], dt.time(8)),
        lambda: Recurrence.monthly(0, dt.time(8)),
        lambda: Recurrence.monthly(32, dt.time(8)),
        lambda: Recurrence.cron("@daily"),
        lambda: Recurrence.cron("0 8 * * * 2026"),
        lambda: Recurrence.cron("61 8 * * *"),
        lambda: Recurrence.daily(dt.time(8, 0, 30)),
        lambda: Recurrence.daily(dt.time(8), tz="Not/AZone"),
        lambda: Recurrence.daily(dt.time(8), start=dt.date(2027, 1, 2), end=dt.date(2027, 1, 1)),
        lambda: Recurrence("daily"),
    ],
)
def test_invalid_recurrences_are_refused(build: Callable[[], Recurrence]) -> None:
    with pytest.raises(ValueError):
        build()


@pytest.mark.parametrize(
    ("rec", "text"),
    [
        (Recurrence.daily(dt.time(7, 30)), "hằng ngày lúc 07:30"),
        (Recurrence.weekly({0, 2}, dt.time(8)), "thứ Hai, thứ Tư hằng tuần lúc 08:00"),
        (Recurrence.weekly({6}, dt.time(19)), "Chủ nhật hằng tuần lúc 19:00"),
        (Recurrence.monthly(15, dt.time(9)), "ngày 15 hằng tháng lúc 09:00"),
        (Recurrence.once(dt.datetime(2026, 12, 25, 20)), "một lần lúc 20:00 25/12/2026"),
        (Recurrence.weekdays(dt.time(8)), "các ngày trong tuần (thứ Hai đến thứ Sáu) lúc 08:00"),
        (Recurrence.cron("0 8 * * 1-5"), "theo lịch cron «0 8 * * 1-5»"),
        (
            Recurrence.daily(dt.time(7), start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 31)),
            "hằng ngày lúc 07:00 từ 01/12/2026 đến hết 31/12/2026",
        ),
        (
            Recurrence.daily(dt.time(2, 30), tz="Europe/Berlin"),
            "hằng ngày lúc 02:30 (giờ Europe/Berlin)",
        ),
    ],
)
def test_describe_in_vietnamese(rec: Recurrence, text: str) -> None:
    assert describe(rec) == text


def test_describe_explains_month_ends() -> None:
    assert "ngày cuối tháng" in describe(Recurrence.monthly(31, dt.time(9)))
