"""Dates at the door of the data services.

- `IsoDate`: a query date that must be written `YYYY-MM-DD`. Pydantic's `date` also takes
  `0` or `1700000000` (as Unix seconds) and `2024-1-5`-like forms; none of those is a date a
  caller meant, so they are 422 like any other malformed value.
- `check_dates(...)`: every given date inside the range the upstream can answer for,
  before any date arithmetic (`end - 365 days` overflows below year 1) or upstream call;
  outside it is 400 `date_out_of_range` naming the accepted range.
"""

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import BeforeValidator

from finscribe_common.errors import BadRequest

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_only(value: Any) -> Any:
    if isinstance(value, str) and not _ISO.fullmatch(value):
        raise ValueError("expected a date written YYYY-MM-DD")
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValueError("expected a date written YYYY-MM-DD, not a number")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_only)]


def latest_accepted(today: dt.date) -> dt.date:
    """The last date a request may name: the end of next year (later ends are clipped to
    today by the services that allow future ends; anything beyond is a typo)."""
    return dt.date(today.year + 1, 12, 31)


def check_dates(*, earliest: dt.date, latest: dt.date, source: str, **dates: dt.date | None) -> None:
    """Raise 400 `date_out_of_range` when one of `dates` (name=value) lies outside
    [earliest, latest]; `source` says whose data the range is (e.g. "KRX")."""
    for name, value in dates.items():
        if value is not None and not earliest <= value <= latest:
            raise BadRequest(
                f"{name} {value.isoformat()} is outside the range {source} can answer for: "
                f"{earliest.isoformat()} to {latest.isoformat()}",
                code="date_out_of_range",
                details={"earliest": earliest.isoformat(), "latest": latest.isoformat()},
            )
