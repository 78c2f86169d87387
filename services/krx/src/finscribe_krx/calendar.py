"""KRX trading days: weekdays that are not KRX market closure days.

Closure days come from the `holidays` package's Korea Exchange calendar
(`holidays.financial_holidays("XKRX")`: Korean public holidays with KRX's rules, such as
Labor Day and the year-end closure on the last business day, lunar holidays computed for
every year the package supports). A year the package does not cover has no closure days:
there every weekday counts as a trading day, the safe side for deciding whether an empty
answer from KRX is suspicious, and readiness reports the service as degraded
(`calendar_note`).
"""

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

KST = ZoneInfo("Asia/Seoul")
# KRX closes at 15:30 KST; the day's final figures are published shortly after.
DAY_CLOSED_AT = dt.time(16, 0)
MARKET = "XKRX"


@lru_cache(maxsize=256)
def closed_days(year: int) -> dict[dt.date, str]:
    """KRX closure days of a year that fall on weekdays, with the holiday's name ({} when not covered)."""
    calendar = holidays.financial_holidays(MARKET)
    if not calendar.start_year <= year <= calendar.end_year:
        return {}
    days = holidays.financial_holidays(MARKET, years=year)
    return {day: str(name) for day, name in sorted(days.items()) if day.weekday() < 5}


def covers(year: int) -> bool:
    """True when the calendar knows the closure days of `year` (every covered year has some)."""
    return bool(closed_days(year))


def calendar_note(today: dt.date) -> str | None:
    """A degraded-readiness note when the current year has no closure days in the calendar."""
    if covers(today.year):
        return None
    return (
        f"degraded: the KRX calendar (holidays {holidays.__version__}) has no closure days for {today.year}; "
        "every weekday counts as a trading day until the package is updated"
    )


def is_trading_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in closed_days(day.year)


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
