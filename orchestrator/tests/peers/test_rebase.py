"""Price performance rebased to 100 on the common start date (charts/peers.py)."""

import datetime as dt

import pytest

from finscribe_orchestrator.charts.peers import common_start, rebased

D = dt.date


def test_the_common_start_is_the_first_day_every_company_has_a_close() -> None:
    # a company listed later (or a series that starts later) moves the start for everyone
    series = {"a": [(D(2024, 1, 2), 100.0), (D(2024, 1, 3), 110.0)], "b": [(D(2024, 1, 3), 50.0)]}
    assert common_start(series) == D(2024, 1, 3)
    assert common_start({}) is None


def test_rebased_closes_start_at_100_and_keep_their_ratios() -> None:
    points = [(D(2024, 1, 2), 80.0), (D(2024, 1, 3), 100.0), (D(2024, 1, 4), 90.0), (D(2024, 1, 5), 125.0)]
    assert rebased(points, D(2024, 1, 3)) == [(D(2024, 1, 3), 100.0), (D(2024, 1, 4), 90.0), (D(2024, 1, 5), 125.0)]
    # no close on the start day itself (a holiday for that market): the last close before it
    gap = rebased([(D(2024, 1, 2), 50.0), (D(2024, 1, 4), 55.0)], D(2024, 1, 3))
    assert [d for d, _ in gap] == [D(2024, 1, 3), D(2024, 1, 4)]
    assert [v for _, v in gap] == pytest.approx([100.0, 110.0])
    assert rebased([(D(2024, 1, 4), 55.0)], D(2024, 1, 3)) == []  # nothing to rebase on
