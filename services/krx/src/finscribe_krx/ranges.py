"""Date-range rules: validation, clipping to today, and the chunks KRX accepts."""

import datetime as dt
from dataclasses import dataclass

from finscribe_common.dates import check_dates, latest_accepted
from finscribe_common.errors import BadRequest

DEFAULT_SPAN_DAYS = 90
# KRX's data portal serves daily stock data from the first day of its electronic records
EARLIEST = dt.date(1995, 5, 2)


@dataclass(frozen=True)
class DateRange:
    start: dt.date
    end: dt.date  # clipped to today (KST)

    def chunks(self, max_days: int) -> list["DateRange"]:
        out: list[DateRange] = []
        start = self.start
        while start <= self.end:
            end = min(self.end, start + dt.timedelta(days=max_days - 1))
            out.append(DateRange(start, end))
            start = end + dt.timedelta(days=1)
        return out

    def krx(self) -> tuple[str, str]:
        return self.start.strftime("%Y%m%d"), self.end.strftime("%Y%m%d")


def validate_range(start: dt.date | None, end: dt.date | None, *, today: dt.date, max_days: int) -> DateRange:
    check_dates(earliest=EARLIEST, latest=latest_accepted(today), source="KRX", start=start, end=end)
    end = end or today
    start = start or end - dt.timedelta(days=DEFAULT_SPAN_DAYS)
    if end < start:
        raise BadRequest(f"end ({end.isoformat()}) is before start ({start.isoformat()})", code="invalid_range")
    if start > today:
        raise BadRequest(
            f"start ({start.isoformat()}) is in the future; KRX has data up to today ({today.isoformat()}, KST)",
            code="invalid_range",
        )
    days = (end - start).days + 1
    if days > max_days:
        raise BadRequest(
            f"the range {start.isoformat()}..{end.isoformat()} spans {days} days; the maximum is {max_days} days",
            code="range_too_long",
        )
    return DateRange(start, min(end, today))
