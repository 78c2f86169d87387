import csv
import datetime as dt

from finscribe_krx import calendar
from finscribe_testkit.common.fixtures import fixture_path


def test_2024_trading_days_match_the_real_recorded_series() -> None:
    with fixture_path("yahoo_005930.KS_close_2024.csv").open(newline="") as handle:
        recorded = [dt.date.fromisoformat(row["Date"]) for row in csv.DictReader(handle)]
    assert calendar.trading_days(dt.date(2024, 1, 1), dt.date(2024, 12, 31)) == recorded
    assert len(recorded) == 244


def test_weekends_and_holidays_are_closed() -> None:
    assert not calendar.is_trading_day(dt.date(2024, 2, 10))  # Saturday
    assert not calendar.is_trading_day(dt.date(2024, 9, 17))  # Chuseok
    assert not calendar.is_trading_day(dt.date(2024, 12, 31))  # year-end closure
    assert calendar.is_trading_day(dt.date(2024, 12, 30))


def test_last_trading_day_walks_back_over_a_long_holiday() -> None:
    assert calendar.last_trading_day(dt.date(2024, 2, 12)) == dt.date(2024, 2, 8)
    assert calendar.last_trading_day(dt.date(2025, 10, 9)) == dt.date(2025, 10, 2)


def test_past_and_future_years_are_covered() -> None:
    # 2019 Chuseok (Thu 09-12, Fri 09-13) and New Year's Day 2027 (a Friday)
    assert not calendar.is_trading_day(dt.date(2019, 9, 12)) and not calendar.is_trading_day(dt.date(2019, 9, 13))
    assert calendar.trading_days(dt.date(2019, 9, 12), dt.date(2019, 9, 15)) == []
    assert not calendar.is_trading_day(dt.date(2027, 1, 1))
    assert calendar.is_trading_day(dt.date(2027, 1, 4))
    assert all(calendar.covers(year) for year in range(2015, 2036))
    assert calendar.calendar_note(dt.date(2027, 1, 4)) is None


def test_the_library_agrees_with_the_closures_krx_published_2020_2025() -> None:
    # KRX 휴장일 as the (now removed) hand-kept table listed them, checked against KRX's screen
    published = {
        2020: 14,
        2021: 13,
        2022: 14,
        2023: 15,
        2024: 18,
        2025: 19,
    }
    assert {year: len(calendar.closed_days(year)) for year in published} == published
    assert dt.date(2025, 6, 3) in calendar.closed_days(2025)  # the snap presidential election
    assert dt.date(2024, 4, 10) in calendar.closed_days(2024)  # the general election


def test_a_year_outside_the_library_knows_only_weekends_and_is_reported() -> None:
    far = dt.date(2101, 1, 3)  # a Monday; the package's calendars end in 2100
    assert not calendar.covers(2101) and calendar.is_trading_day(far)
    note = calendar.calendar_note(far)
    assert note is not None and note.startswith("degraded") and "2101" in note


def test_today_is_expected_only_after_the_close() -> None:
    morning = dt.datetime(2024, 12, 30, 10, 0, tzinfo=calendar.KST)
    evening = dt.datetime(2024, 12, 30, 17, 0, tzinfo=calendar.KST)
    start = dt.date(2024, 12, 26)
    assert calendar.expected_trading_days(start, dt.date(2024, 12, 30), morning) == [
        dt.date(2024, 12, 26),
        dt.date(2024, 12, 27),
    ]
    assert calendar.expected_trading_days(start, dt.date(2024, 12, 30), evening)[-1] == dt.date(2024, 12, 30)
    # days after "now" are never expected
    assert calendar.expected_trading_days(start, dt.date(2025, 1, 10), morning)[-1] == dt.date(2024, 12, 27)
