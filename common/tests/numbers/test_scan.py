"""The Korean number scanner: units, compound amounts, signs, dates, and what is not a figure."""

import pytest

from finscribe_common.numbers import extract_numbers, parse_quantity
from finscribe_common.numbers.parse import BodyError, read_body


@pytest.mark.parametrize(
    ("text", "kind", "value", "step"),
    [
        ("485조 7,577억원", "amount", 485_757_700_000_000, 1e8),
        ("455.9조원", "amount", 455_900_000_000_000, 1e11),
        ("1,405억원", "amount", 140_500_000_000, 1e8),
        ("53,200원", "amount", 53_200, 1),
        ("12.5달러", "amount", 12.5, 0.1),
        ("11.68%", "percent", 11.68, 0.01),
        ("3.2%p", "pp", 3.2, 0.1),
        ("25bp", "pp", 0.25, 0.01),
        ("15.2배", "multiple", 15.2, 0.1),
        ("5,969,782,550주", "count", 5_969_782_550, 1),
        ("1만 2천주", "count", 12_000, 1000),
        ("5만 3,200원", "amount", 53_200, 1),
        ("1조2000억원", "amount", 1_200_000_000_000, 1e8),
        ("KRW 146.0 trillion", "amount", 146e12, 1e11),
        ("3.5 billion won", "amount", 3.5e9, 1e8),
        ("15.2x", "multiple", 15.2, 0.1),
    ],
)
def test_quantities(text: str, kind: str, value: float, step: float) -> None:
    [mention] = extract_numbers(f"값은 {text}입니다.")
    assert mention.kind == kind
    assert mention.value == pytest.approx(value)
    assert mention.step == pytest.approx(step)


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2024년 6월 30일", "2024-06-30"),
        ("2024-08-14", "2024-08-14"),
        ("2024.06.28", "2024-06-28"),
        ("2024년 6월", "2024-06"),
        ("2024년 상반기", "2024"),
        ("FY2023", "2023"),
        ("8월 14일", "--08-14"),
    ],
)
def test_dates(text: str, iso: str) -> None:
    dates = [m for m in extract_numbers(f"{text} 기준") if m.kind == "date"]
    assert [m.date for m in dates] == [iso]


def test_signs_and_approximation() -> None:
    up, down, approx = extract_numbers("▲3.27% 상승, ▼1.5% 하락, 약 480조원")
    assert (up.sign, down.sign) == (1, -1)
    assert approx.approx and approx.value == 480e12


def test_citations_ordinals_and_small_counts_are_not_figures() -> None:
    text = "1. 개요 [1] 3개 분기 연속 2분기 실적 [2, 3] 52주 최고가"
    assert extract_numbers(text) == []


def test_read_body_keeps_the_last_unit_as_step() -> None:
    assert read_body("79조 1,405억")[:2] == (79_140_500_000_000, 1e8)
    assert read_body("16조 5천9백6십억")[:2] == (16_596_000_000_000, 1e9)
    with pytest.raises(BodyError):
        read_body("12 34")


@pytest.mark.parametrize(
    ("text", "raw", "value"),
    [
        ("a net loss of -KRW 26.2 trillion.", "-KRW 26.2 trillion", -26.2e12),
        ("a net loss of KRW (26.2) trillion.", "KRW (26.2) trillion", -26.2e12),
        ("net income was $(1.2) billion.", "$(1.2) billion", -1.2e9),
        ("the margin moved (3.2)% on the year.", "(3.2)%", -3.2),
    ],
)
def test_english_minus_before_the_currency_and_accounting_parentheses_are_negative(
    text: str, raw: str, value: float
) -> None:
    [mention] = extract_numbers(text)
    assert (mention.raw, mention.sign) == (raw, -1)
    assert mention.value == pytest.approx(value)


def test_parentheses_without_a_currency_scale_or_percent_are_an_aside_not_a_sign() -> None:
    # '영업이익(17.05)' or 'PER (12.3)배' quote a figure: no sign is written
    assert [(m.raw, m.sign) for m in extract_numbers("영업이익(17.05), PER (12.3)배, ratio (26.66%)")] == [
        ("17.05", 0),
        ("(12.3)배", 0),
        ("26.66%", 0),
    ]


@pytest.mark.parametrize("text", ["Revenue fell in 2023, while", "Revenue fell in 2023.", "On August 14, 2024, it"])
def test_an_english_year_before_a_comma_or_a_full_stop_is_a_date(text: str) -> None:
    assert [(m.raw, m.kind) for m in extract_numbers(text)][-1][1] == "date"
    assert "2,023" in [m.raw for m in extract_numbers("2,023 units")]


@pytest.mark.parametrize(
    ("text", "raw", "value"),
    [
        ("Operating profit fell to KRW 6.57tn.", "KRW 6.57tn", 6.57e12),
        ("OP came in at KRW6.6tn, down", "KRW6.6tn", 6.6e12),
        ("a loss of KRW -1.2tn", "-1.2tn", -1.2e12),  # a sign after the currency: the figure from it
        ("OP of KRW 6.57 trn", "KRW 6.57 trn", 6.57e12),
        ("capex of US$1.2tn", "US$1.2tn", 1.2e12),
    ],
)
def test_tn_and_trn_are_trillion(text: str, raw: str, value: float) -> None:
    # broker shorthand for trillion: read without it, 'KRW 6.57tn' was 6.57 won, a unit slip
    [mention] = extract_numbers(text)
    assert (mention.raw, mention.kind) == (raw, "amount")
    assert mention.value == pytest.approx(value)


@pytest.mark.parametrize(
    ("text", "raw", "value"),
    [
        ("the stock returned –31.72% over the year", "–31.72%", -31.72),  # U+2013 EN DASH
        ("operating profit was –KRW 7.7 trillion", "–KRW 7.7 trillion", -7.7e12),
    ],
)
def test_an_en_dash_right_before_a_figure_is_a_minus(text: str, raw: str, value: float) -> None:
    [mention] = extract_numbers(text)
    assert (mention.raw, mention.sign) == (raw, -1)
    assert mention.value == pytest.approx(value)


def test_a_spaced_en_dash_is_punctuation_not_a_minus() -> None:
    assert [(m.raw, m.sign) for m in extract_numbers("the margin – 11.68% – was a record")] == [("11.68%", 0)]


@pytest.mark.parametrize(
    ("text", "raw", "low", "high"),
    [
        ("Revenue grew 15-20% in 2024", "15-20%", 15, 20),
        ("Revenue grew 15–20% in 2024", "15–20%", 15, 20),
        ("Revenue grew 15%-20% in 2024", "15%-20%", 15, 20),
        ("The margin rose 1.5–2.0%p", "1.5–2.0%p", 1.5, 2.0),
        ("a hit of KRW 1-2 trillion", "KRW 1-2 trillion", 1e12, 2e12),
        ("a target of KRW 53,200-55,000", "KRW 53,200-55,000", 53_200, 55_000),
    ],
)
def test_a_hyphen_or_en_dash_between_two_figures_is_a_range(text: str, raw: str, low: float, high: float) -> None:
    # read as two figures, '15-20%' was a bare 15 and a 20% (or '-20%', a negative) the data lacks
    [mention] = [m for m in extract_numbers(text) if m.kind != "date"]
    assert (mention.raw, mention.qualifier, mention.sign) == (raw, "~", 0)
    assert (mention.low, mention.high) == (pytest.approx(low), pytest.approx(high))


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("the 2024-2026 CAGR of", ["2024", "2026"]),
        ("in 2023-24, sales", ["2023", "2024"]),
        ("2023–2024 revenue", ["2023", "2024"]),
        ("FY2023-FY2024", ["2023", "2024"]),
    ],
)
def test_a_range_of_years_is_two_dates_not_a_negative_figure(text: str, years: list[str]) -> None:
    # '2024-2026' read '-2026' as a negative number the data could never hold
    assert [(m.kind, m.date) for m in extract_numbers(text)] == [("date", y) for y in years]


@pytest.mark.parametrize("cell", ["2024-08", "2023-24", "1-2"])
def test_a_bare_hyphenated_cell_is_not_a_range(cell: str) -> None:
    # a CSV column of months or fiscal years must not turn numeric now that '15-20%' is a range
    assert parse_quantity(cell) is None
