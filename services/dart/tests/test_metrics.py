"""Key metrics checked against figures computed here by hand from the real CSV rows."""

from typing import Any

import pytest

from finscribe_dart.financials import parse_items
from finscribe_dart.metrics import compute_key_metrics
from finscribe_dart.sector import Sector
from finscribe_testkit.dart import statement_rows


def raw(sj_div: str, account_id: str, column: str) -> int:
    """One value straight out of the recorded rows, without going through our parser."""
    for row in statement_rows():
        if row["sj_div"] == sj_div and row["account_id"] == account_id and row.get("account_detail", "-") == "-":
            return int(row[column])
    raise KeyError((sj_div, account_id, column))


GENERAL = Sector("general", "264", "삼성전자 (KSIC 264, 매출액 present)")


@pytest.fixture(scope="module")
def items() -> list[dict[str, Any]]:
    return parse_items([dict(r) for r in statement_rows()])


def test_h1_key_metrics_match_hand_computation(items: list[dict[str, Any]]) -> None:
    m = compute_key_metrics(items, "h1", 2024, GENERAL)
    # income statement figures are the half year to date (thstrm_add_amount), not the lone quarter
    revenue = raw("IS", "ifrs-full_Revenue", "thstrm_add_amount")
    operating = raw("IS", "dart_OperatingIncomeLoss", "thstrm_add_amount")
    net = raw("IS", "ifrs-full_ProfitLoss", "thstrm_add_amount")
    owners_net = raw("IS", "ifrs-full_ProfitLossAttributableToOwnersOfParent", "thstrm_add_amount")
    assets = raw("BS", "ifrs-full_Assets", "thstrm_amount")
    liabilities = raw("BS", "ifrs-full_Liabilities", "thstrm_amount")
    equity = raw("BS", "ifrs-full_Equity", "thstrm_amount")
    owners_eq = raw("BS", "ifrs-full_EquityAttributableToOwnersOfParent", "thstrm_amount")
    owners_eq_prior = raw("BS", "ifrs-full_EquityAttributableToOwnersOfParent", "frmtrm_amount")

    assert revenue == 145_983_903_000_000
    assert (m["revenue"], m["operating_income"], m["net_income"]) == (revenue, operating, net)
    assert (m["total_assets"], m["total_liabilities"], m["total_equity"]) == (assets, liabilities, equity)
    assert m["total_assets"] == 485_757_698_000_000
    assert m["prior"]["total_assets"] == 455_905_980_000_000
    # 17,049,887 / 145,983,903 = 11.679...%
    assert m["operating_margin"] == round(operating / revenue * 100, 2) == 11.68
    # 102,231,027 / 383,526,671 = 26.655...%
    assert m["debt_ratio"] == round(liabilities / equity * 100, 2) == 26.66
    # 16,263,683 / ((373,669,562 + 353,233,775) / 2) = 4.4748...%
    assert m["roe"] == round(owners_net / ((owners_eq + owners_eq_prior) / 2) * 100, 2) == 4.47
    assert m["roe_annualized"] == 8.94
    assert m["roe_basis"] == "owners_of_parent"
    assert m["months"] == 6


def test_h1_yoy_uses_prior_year_to_date(items: list[dict[str, Any]]) -> None:
    m = compute_key_metrics(items, "h1", 2024, GENERAL)
    revenue = raw("IS", "ifrs-full_Revenue", "thstrm_add_amount")
    prior_revenue = raw("IS", "ifrs-full_Revenue", "frmtrm_add_amount")
    assert m["prior"]["revenue"] == prior_revenue == 123_750_904_000_000
    # (145,983,903 - 123,750,904) / 123,750,904 = 17.966%
    assert m["yoy"]["revenue"] == round((revenue - prior_revenue) / prior_revenue * 100, 2) == 17.97
    prior_op = raw("IS", "dart_OperatingIncomeLoss", "frmtrm_add_amount")
    assert m["yoy"]["operating_income"] == round((17_049_887_000_000 - prior_op) / prior_op * 100, 2)
    # balances compare with the prior fiscal year end: (485,757,698 - 455,905,980) / 455,905,980
    assert m["yoy"]["total_assets"] == 6.55


def test_accounts_are_traced(items: list[dict[str, Any]]) -> None:
    m = compute_key_metrics(items, "h1", 2024, GENERAL)
    assert m["accounts"]["revenue"] == {"statement": "IS", "account_id": "ifrs-full_Revenue", "account_name": "매출액"}
    assert "debt_ratio" in m["formulas"]


def test_korean_names_are_the_fallback(items: list[dict[str, Any]]) -> None:
    # a filer without standard ids: the same real rows with account_id blanked
    stripped = [{**i, "account_id": "-표준계정코드 미사용-"} for i in items]
    m = compute_key_metrics(stripped, "h1", 2024, GENERAL)
    assert m["total_assets"] == 485_757_698_000_000
    assert m["revenue"] == 145_983_903_000_000
    assert m["operating_income"] == 17_049_887_000_000


def test_without_owners_split_roe_uses_totals(items: list[dict[str, Any]]) -> None:
    # separate statements carry no owners' lines; drop them from the real rows
    owners = {"ifrs-full_ProfitLossAttributableToOwnersOfParent", "ifrs-full_EquityAttributableToOwnersOfParent"}
    no_split = [i for i in items if i["account_id"] not in owners and i["account_name"] != "지배기업 소유주지분"]
    m = compute_key_metrics(no_split, "h1", 2024, GENERAL)
    expected = round(16_596_053_000_000 / ((383_526_671_000_000 + 363_677_865_000_000) / 2) * 100, 2)
    assert m["roe"] == expected
    assert m["roe_basis"] == "total"


def test_missing_lines_give_none_not_errors() -> None:
    m = compute_key_metrics([], "annual", 2024, GENERAL)
    assert m["revenue"] is None and m["operating_margin"] is None and m["roe"] is None
    assert m["yoy"]["revenue"] is None


def test_column_choice_per_report(items: list[dict[str, Any]]) -> None:
    # annual reports carry full years in thstrm/frmtrm: read as annual, the real rows give thstrm_amount
    annual = compute_key_metrics(items, "annual", 2024, GENERAL)
    assert annual["revenue"] == raw("IS", "ifrs-full_Revenue", "thstrm_amount") == 74_068_302_000_000
    assert annual["months"] == 12
    # a Q1 filer without year-to-date columns: the lone quarter is the year to date
    no_ytd = [{**i, "current_cumulative": None, "prior_cumulative": None} for i in items]
    q1 = compute_key_metrics(no_ytd, "q1", 2024, GENERAL)
    assert q1["revenue"] == 74_068_302_000_000
    assert q1["prior"]["revenue"] == raw("IS", "ifrs-full_Revenue", "frmtrm_q_amount")
    # an H1/Q3 report never falls back to the lone quarter
    assert compute_key_metrics(no_ytd, "q3", 2024, GENERAL)["revenue"] is None
