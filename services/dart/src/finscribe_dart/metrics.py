"""Key metrics computed from one fnlttSinglAcntAll report.

Accounts are found by their IFRS/DART account_id first and by Korean account name
only when the filer used no standard id. Only headline rows (no `account_detail`,
which marks the statement-of-equity components) of the right statement count.

Formulas (percentages, rounded to 2 decimals):
- operating_margin = operating_income / revenue x 100
- net_margin = net_income / revenue x 100
- debt_ratio (부채비율) = total_liabilities / total_equity x 100
- roe = net income attributable to owners of the parent / average owners' equity over
  the period (period end and prior fiscal year end) x 100, for the period the report
  covers (year to date, not annualised); `roe_annualized` scales it by 12 / months.
  Separate statements have no owners' split, so there net income and total equity are
  used. No ROE when either equity figure is missing or the average is not positive.
- yoy: change in percent of each figure against the comparative in the same report:
  the same period of the prior year for flows, the prior fiscal year end for balances.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from finscribe_dart.financials import REPORT_MONTHS


@dataclass(frozen=True)
class AccountSpec:
    statements: tuple[str, ...]
    ids: tuple[str, ...]
    names: tuple[str, ...]
    flow: bool  # income statement figure (period) vs balance (point in time)


ACCOUNTS: dict[str, AccountSpec] = {
    "revenue": AccountSpec(
        ("IS", "CIS"),
        ("ifrs-full_Revenue", "ifrs_Revenue"),
        ("매출액", "수익(매출액)", "영업수익", "매출", "수익"),
        True,
    ),
    "operating_income": AccountSpec(
        ("IS", "CIS"),
        ("dart_OperatingIncomeLoss", "ifrs-full_ProfitLossFromOperatingActivities"),
        ("영업이익", "영업이익(손실)", "영업손익", "영업손실"),
        True,
    ),
    "net_income": AccountSpec(
        ("IS", "CIS"),
        ("ifrs-full_ProfitLoss", "ifrs_ProfitLoss"),
        (
            "당기순이익",
            "당기순이익(손실)",
            "반기순이익",
            "반기순이익(손실)",
            "분기순이익",
            "분기순이익(손실)",
            "당기순손익",
        ),
        True,
    ),
    "net_income_owners": AccountSpec(
        ("IS", "CIS"),
        ("ifrs-full_ProfitLossAttributableToOwnersOfParent",),
        ("지배기업의 소유주에게 귀속되는 당기순이익", "지배기업 소유주지분", "지배기업소유주지분"),
        True,
    ),
    "total_assets": AccountSpec(("BS",), ("ifrs-full_Assets", "ifrs_Assets"), ("자산총계",), False),
    "total_liabilities": AccountSpec(("BS",), ("ifrs-full_Liabilities", "ifrs_Liabilities"), ("부채총계",), False),
    "total_equity": AccountSpec(("BS",), ("ifrs-full_Equity", "ifrs_Equity"), ("자본총계",), False),
    "equity_owners": AccountSpec(
        ("BS",),
        ("ifrs-full_EquityAttributableToOwnersOfParent",),
        ("지배기업 소유주지분", "지배기업의 소유주에게 귀속되는 자본", "지배기업소유주지분"),
        False,
    ),
}

FORMULAS = {
    "operating_margin": "operating_income / revenue x 100",
    "net_margin": "net_income / revenue x 100",
    "debt_ratio": "total_liabilities / total_equity x 100",
    "roe": "net_income_owners / ((equity_owners at period end + at prior fiscal year end) / 2) x 100, "
    "for the period covered (not annualised)",
    "roe_annualized": "roe x 12 / months covered",
    "yoy": "(current - prior) / |prior| x 100; flows vs the same period a year earlier, "
    "balances vs the prior fiscal year end",
}


def _find(items: list[dict[str, Any]], spec: AccountSpec) -> dict[str, Any] | None:
    headline = [i for i in items if i.get("statement") in spec.statements and not i.get("account_detail")]
    for statement in spec.statements:
        for account_id in spec.ids:
            for item in headline:
                if item["statement"] == statement and item.get("account_id") == account_id:
                    return item
    for statement in spec.statements:
        for name in spec.names:
            for item in headline:
                if item["statement"] == statement and (item.get("account_name") or "").replace(" ", "") == name.replace(
                    " ", ""
                ):
                    return item
    return None


def _first(values: Iterable[int | float | None]) -> int | float | None:
    for value in values:
        if value is not None:
            return value
    return None


def _values(item: dict[str, Any] | None, spec: AccountSpec, report: str) -> tuple[int | float | None, ...]:
    """(current, prior) figures of an item as the metric needs them."""
    if item is None:
        return None, None
    if not spec.flow or report == "annual":
        return item.get("current"), item.get("prior")
    # interim income statements: year to date, falling back to the lone quarter for Q1
    current = _first((item.get("current_cumulative"), item.get("current") if report == "q1" else None))
    prior = _first((item.get("prior_cumulative"), item.get("prior_quarter") if report == "q1" else None))
    return current, prior


def _pct(numerator: int | float | None, denominator: int | float | None) -> float | None:
    if numerator is None or denominator in (None, 0):
        return None
    return round(numerator / denominator * 100, 2)


def _change(current: int | float | None, prior: int | float | None) -> float | None:
    if current is None or prior in (None, 0):
        return None
    return round((current - prior) / abs(prior) * 100, 2)


def compute_key_metrics(items: list[dict[str, Any]], report: str) -> dict[str, Any]:
    months = REPORT_MONTHS[report]
    current: dict[str, int | float | None] = {}
    prior: dict[str, int | float | None] = {}
    accounts: dict[str, dict[str, Any] | None] = {}
    for name, spec in ACCOUNTS.items():
        item = _find(items, spec)
        accounts[name] = None if item is None else {k: item[k] for k in ("statement", "account_id", "account_name")}
        current[name], prior[name] = _values(item, spec, report)

    owners_split = current["net_income_owners"] is not None and current["equity_owners"] is not None
    income = current["net_income_owners"] if owners_split else current["net_income"]
    equity_end = current["equity_owners"] if owners_split else current["total_equity"]
    equity_start = prior["equity_owners"] if owners_split else prior["total_equity"]
    roe = None
    if income is not None and equity_end is not None and equity_start is not None:
        average = (equity_end + equity_start) / 2
        if average > 0:
            roe = round(income / average * 100, 2)

    def ratios(f: dict[str, int | float | None]) -> dict[str, float | None]:
        return {
            "operating_margin": _pct(f["operating_income"], f["revenue"]),
            "net_margin": _pct(f["net_income"], f["revenue"]),
            "debt_ratio": _pct(f["total_liabilities"], f["total_equity"]),
        }

    now = ratios(current)
    before = ratios(prior)
    yoy = {name: _change(current[name], prior[name]) for name in ACCOUNTS}
    return {
        **{name: current[name] for name in ACCOUNTS},
        **now,
        "roe": roe,
        "roe_annualized": None if roe is None else round(roe * 12 / months, 2),
        "roe_basis": None if roe is None else ("owners_of_parent" if owners_split else "total"),
        "months": months,
        "prior": {**{name: prior[name] for name in ACCOUNTS}, **before},
        "yoy": yoy,
        "accounts": accounts,
        "formulas": FORMULAS,
    }
