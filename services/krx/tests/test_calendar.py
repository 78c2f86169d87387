import csv
import datetime as dt

from finscribe_common.testing.fixtures import fixture_path
from finscribe_krx import calendar


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


def test_outside_the_table_only_weekends_are_known() -> None:
    assert calendar.is_trading_day(dt.date(2019, 1, 1))  # a holiday, but not in the table
    assert not calendar.is_trading_day(dt.date(2019, 1, 5))


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
