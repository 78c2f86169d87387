"""KRX trading days: weekdays that are not KRX market holidays.

The holiday table (data/krx_holidays.json) covers 2020-2026. Outside it only weekends are
known, so there every weekday counts as a trading day; that is the safe side for
deciding whether an empty answer from KRX is suspicious.
"""

import datetime as dt
import json
from functools import lru_cache
from importlib import resources
from zoneinfo import ZoneInfo

KST = ZoneInfo("Asia/Seoul")
# KRX closes at 15:30 KST; the day's final figures are published shortly after.
DAY_CLOSED_AT = dt.time(16, 0)


@lru_cache(maxsize=1)
def holidays() -> frozenset[dt.date]:
    raw = json.loads(resources.files("finscribe_krx").joinpath("data/krx_holidays.json").read_text("utf-8"))
    return frozenset(
        dt.date.fromisoformat(day) for year, days in raw.items() if not year.startswith("_") for day in days
    )


@lru_cache(maxsize=1)
def covered_years() -> frozenset[int]:
    return frozenset(day.year for day in holidays())


def is_trading_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in holidays()


def trading_days(start: dt.date, end: dt.date) -> list[dt.date]:
    days: list[dt.date] = []
    day = start
    while day <= end:
        if is_trading_day(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def last_trading_day(on_or_before: dt.date) -> dt.date:
    day = on_or_before
    # the longest KRX closure (Chuseok + Hangul day 2025) spans 9 calendar days
    for _ in range(30):
        if is_trading_day(day):
            return day
        day -= dt.timedelta(days=1)
    return on_or_before


def now_kst() -> dt.datetime:
    return dt.datetime.now(KST)


def today_kst() -> dt.date:
    return now_kst().date()


def expected_trading_days(start: dt.date, end: dt.date, now: dt.datetime | None = None) -> list[dt.date]:
    """Trading days for which KRX must already have published a row.

    Today counts only after the close: before that an empty answer for today is normal.
    """
    now = now or now_kst()
    today = now.date()
    last = min(end, today)
    days = trading_days(start, last)
    if days and days[-1] == today and now.time() < DAY_CLOSED_AT:
        days.pop()
    return days
