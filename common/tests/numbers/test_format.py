"""The house style, and that what it writes reads back to the same value within the display rounding."""

import random

import pytest

from finscribe_common.numbers import parse_quantity, pct, pp, times, won
from finscribe_common.numbers.format import in_unit, num, table_cell


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (485_757_698_000_000, "485.8조원"),
        (140_500_000_000, "1,405억원"),
        (81_500, "81,500원"),
        (-17_049_887_000_000, "-17.0조원"),
        (99_990_000_000, "1,000억원"),
        (999_960_000_000_000 / 1000, "1.0조원"),
    ],
)
def test_won(value: float, text: str) -> None:
    assert won(value) == text


def test_percent_points_multiples_and_plain() -> None:
    assert pct(-3.2) == "-3.20%" and pct(17.97) == "+17.97%" and pct(11.68, signed=False) == "11.68%"
    assert pct(-3.2, digits=1) == "-3.2%" and pp(10.6, digits=1) == "+10.6%p"
    assert times(12.345) == "12.35배" and num(5_969_782_550) == "5,969,782,550" and num(1234.5678) == "1,234.57"
    assert in_unit(12.34, "%") == "12.3%" and in_unit(1234.5, "조원") == "1,234" and in_unit(1.5, "") == "1.50"
    assert table_cell(None) == "" and table_cell(53200.0) == "53,200" and table_cell(-3.2) == "-3.2"


def _reads_back(text: str, value: float) -> None:
    quantity = parse_quantity(text)
    assert quantity is not None, text
    low, high = quantity.magnitude_bounds()
    assert low <= abs(value) <= high, (text, value, low, high)
    assert (quantity.value or 0) * value >= 0 or abs(value) <= quantity.step, (text, value)


def test_round_trip_over_many_values() -> None:
    rng = random.Random(20241230)
    for _ in range(3000):
        magnitude = 10 ** rng.uniform(0, 15)
        value = magnitude if rng.random() < 0.7 else -magnitude
        _reads_back(won(value), value)
        rate = rng.uniform(-200, 2000)
        _reads_back(pct(rate), rate)
        _reads_back(pp(rate / 10), rate / 10)
        _reads_back(times(abs(rate) / 10), abs(rate) / 10)
        _reads_back(num(round(value, 2)), round(value, 2))
