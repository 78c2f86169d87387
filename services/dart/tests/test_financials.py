import pytest

from finscribe_dart.financials import AmountError, parse_amount, parse_items, rcept_no_of
from finscribe_testkit.dart import statement_rows


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("485757698000000", 485_757_698_000_000),
        ("1,234,567", 1_234_567),
        ("-10576000000", -10_576_000_000),
        ("(1,500)", -1_500),
        (" 42 ", 42),
        ("0", 0),
        ("1419.5", 1419.5),
        ("", None),
        ("-", None),
        (None, None),
        (7, 7),
    ],
)
def test_parse_amount(raw: object, expected: object) -> None:
    assert parse_amount(raw) == expected


@pytest.mark.parametrize("raw", ["abc", "1.2.3", "12a", True])
def test_parse_amount_rejects_garbage(raw: object) -> None:
    with pytest.raises(AmountError):
        parse_amount(raw)


def test_real_rows_become_typed_items() -> None:
    rows = [dict(r) for r in statement_rows()]
    items = parse_items(rows)
    assert len(items) == 204
    assets = next(i for i in items if i["account_id"] == "ifrs-full_Assets")
    assert assets["statement"] == "BS"
    assert assets["current"] == 485_757_698_000_000
    assert assets["prior"] == 455_905_980_000_000
    assert assets["account_detail"] is None
    assert assets["current_label"] == "제 56 기 반기말"
    assert assets["prior_label"] == "제 55 기말"
    revenue = next(i for i in items if i["statement"] == "IS" and i["account_id"] == "ifrs-full_Revenue")
    # H1 report: the lone second quarter, the year to date, and the prior year's of both
    assert revenue["current"] == 74_068_302_000_000
    assert revenue["current_cumulative"] == 145_983_903_000_000
    assert revenue["prior_quarter"] == 60_005_533_000_000
    assert revenue["prior_cumulative"] == 123_750_904_000_000
    tax = next(i for i in items if i["account_id"] == "ifrs-full_IncomeTaxExpenseContinuingOperations")
    assert tax["prior_quarter"] == -10_576_000_000
    sce = [i for i in items if i["statement"] == "SCE"]
    assert sce and all(i["account_detail"] for i in sce)
    assert rcept_no_of(rows) == "20240814003284"
    assert {i["currency"] for i in items} == {"KRW"}
