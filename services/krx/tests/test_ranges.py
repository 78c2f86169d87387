import datetime as dt
from itertools import pairwise

import pytest

from finscribe_common.errors import BadRequest
from finscribe_krx.ranges import DateRange, validate_range

TODAY = dt.date(2026, 11, 25)


def test_defaults_to_the_last_90_days() -> None:
    rng = validate_range(None, None, today=TODAY, max_days=3660)
    assert rng == DateRange(TODAY - dt.timedelta(days=90), TODAY)


def test_end_is_clipped_to_today() -> None:
    rng = validate_range(dt.date(2026, 11, 1), dt.date(2026, 12, 31), today=TODAY, max_days=3660)
    assert rng.end == TODAY


@pytest.mark.parametrize(
    ("start", "end", "code"),
    [
        (dt.date(2024, 2, 1), dt.date(2024, 1, 1), "invalid_range"),
        (dt.date(2027, 1, 1), dt.date(2027, 2, 1), "invalid_range"),
        (dt.date(2010, 1, 1), dt.date(2024, 1, 1), "range_too_long"),
    ],
)
def test_bad_ranges_are_refused(start: dt.date, end: dt.date, code: str) -> None:
    with pytest.raises(BadRequest) as info:
        validate_range(start, end, today=TODAY, max_days=3660)
    assert info.value.code == code


def test_chunks_cover_the_range_without_overlap() -> None:
    rng = DateRange(dt.date(2020, 1, 1), dt.date(2024, 12, 31))
    chunks = rng.chunks(730)
    assert chunks[0].start == rng.start and chunks[-1].end == rng.end
    for a, b in pairwise(chunks):
        assert b.start == a.end + dt.timedelta(days=1)
    assert all((c.end - c.start).days + 1 <= 730 for c in chunks)
    assert len(chunks) == 3
    assert DateRange(dt.date(2024, 1, 1), dt.date(2024, 1, 1)).chunks(730) == [
        DateRange(dt.date(2024, 1, 1), dt.date(2024, 1, 1))
    ]
