"""Key metrics computed from one report's statement lines (one fs_div only, never mixed).

The lines come either from 단일회사 주요계정 (fnlttSinglAcnt, headline accounts, no
account_id) or from the full statements (fnlttSinglAcntAll). Accounts are found by their
IFRS/DART account_id first and by Korean account name when the filer used no standard id.
Only headline rows (no `account_detail`, which marks the statement-of-equity components)
of the right statement count.

Columns of an item (see financials.py): `current`, `prior`, `before_prior` (annual:
three fiscal years); interim income lines: `current` the last quarter alone,
`current_cumulative` the year to date, `prior_quarter` / `prior_cumulative` the same
for the year before; interim balances: `current` at the period end, `prior` at the prior
fiscal year end.

Formulas (percentages, rounded to 2 decimals):
- operating_margin = operating_income / revenue x 100; net_margin = net_income / revenue x 100
  (not computed for financial sectors, which report no 매출액: see `omitted`)
- debt_ratio (부채비율) = total_liabilities / total_equity x 100
- roe = net income attributable to owners of the parent / average owners' equity over
  the period (period end and prior fiscal year end) x 100, for the period the report
  covers (year to date, not annualised); `roe_annualized` scales it by 12 / months.
  Without an owners' split (separate statements, main accounts) net income and total
  equity are used (`roe_basis: "total"`).
- yoy: change in percent against the comparative in the same report: the same period of
  the prior year for flows, the prior fiscal year end for balances.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from finscribe_dart.financials import REPORT_MONTHS
from finscribe_dart.sector import Sector


@dataclass(frozen=True)
class AccountSpec:
    statements: tuple[str, ...]
    ids: tuple[str, ...]
    names: tuple[str, ...]
    flow: bool  # income statement figure (period) vs balance (point in time)


_IS = ("IS", "CIS")
ACCOUNTS: dict[str, AccountSpec] = {
    "revenue": AccountSpec(
        _IS, ("ifrs-full_Revenue", "ifrs_Revenue"), ("매출액", "수익(매출액)", "영업수익", "매출", "수익"), True
    ),
    "operating_income": AccountSpec(
        _IS,
        ("dart_OperatingIncomeLoss", "ifrs-full_ProfitLossFromOperatingActivities"),
        ("영업이익", "영업이익(손실)", "영업손익", "영업손실"),
        True,
    ),
    "net_income": AccountSpec(
        _IS,
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
        _IS,
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
    # the headline lines of banks, insurers, securities firms and financial holding companies
    "operating_revenue": AccountSpec(_IS, (), ("영업수익",), True),
    "net_interest_income": AccountSpec(_IS, (), ("순이자손익", "순이자이익", "이자손익"), True),
    "interest_income": AccountSpec(_IS, (), ("이자수익",), True),
    "interest_expense": AccountSpec(_IS, (), ("이자비용",), True),
    "net_fee_income": AccountSpec(_IS, (), ("순수수료손익", "순수수료이익", "수수료손익"), True),
    "insurance_result": AccountSpec(_IS, (), ("보험손익", "보험서비스결과", "보험영업손익"), True),
    "deposits": AccountSpec(("BS",), (), ("예수부채",), False),
    "insurance_liabilities": AccountSpec(("BS",), (), ("보험계약부채",), False),
}
GENERAL_FIELDS = (
    "revenue",
    "operating_income",
    "net_income",
    "net_income_owners",
    "total_assets",
    "total_liabilities",
    "total_equity",
    "equity_owners",
)
FINANCIAL_FIELDS = tuple(k for k in ACCOUNTS if k not in GENERAL_FIELDS)
# the lines each sector reports, in reading order (a line DART's answer lacks goes to `omitted`)
SECTOR_LINES: dict[str, tuple[str, ...]] = {
    "general": ("revenue", "operating_income", "net_income", "total_assets", "total_liabilities", "total_equity"),
    "bank": (
        "net_interest_income",
        "net_fee_income",
        "operating_income",
        "net_income",
        "total_assets",
        "total_liabilities",
        "total_equity",
        "deposits",
    ),
    "insurance": (
        "insurance_result",
        "operating_income",
        "net_income",
        "total_assets",
        "total_liabilities",
        "total_equity",
        "insurance_liabilities",
    ),
    "securities": (
        "operating_revenue",
        "net_fee_income",
        "operating_income",
        "net_income",
        "total_assets",
        "total_liabilities",
        "total_equity",
    ),
}
SECTOR_LINES["holding"] = SECTOR_LINES["general"]
SECTOR_LINES["financial_holding"] = SECTOR_LINES["bank"]
SECTOR_LINES["financial"] = SECTOR_LINES["securities"]
# supporting lines shown for a financial company whenever DART has them
FINANCIAL_EXTRAS = (
    "operating_revenue",
    "net_interest_income",
    "interest_income",
    "interest_expense",
    "net_fee_income",
    "insurance_result",
    "deposits",
    "insurance_liabilities",
)
RATIOS = ("operating_margin", "net_margin", "debt_ratio")
REVENUE_RATIOS = ("operating_margin", "net_margin")

FORMULAS = {
    "operating_margin": "operating_income / revenue x 100",
    "net_margin": "net_income / revenue x 100",
    "debt_ratio": "total_liabilities / total_equity x 100",
    "roe": "net_income_owners / ((equity_owners at period end + at prior fiscal year end) / 2) x 100, "
    "for the period covered (not annualised); without an owners' split net_income and total_equity",
    "roe_annualized": "roe x 12 / months covered",
    "yoy": "(current - prior) / |prior| x 100; flows vs the same period a year earlier, "
    "balances vs the prior fiscal year end",
    "quarter": "interim reports: the last quarter alone (thstrm_amount) against the same quarter a year "
    "earlier (frmtrm_amount in 주요계정, frmtrm_q_amount in the full statements)",
}

Number = int | float | None


def _norm(name: str | None) -> str:
    return (name or "").replace(" ", "")


def find(items: list[dict[str, Any]], spec: AccountSpec) -> dict[str, Any] | None:
    headline = [i for i in items if i.get("statement") in spec.statements and not i.get("account_detail")]
    for statement in spec.statements:
        for account_id in spec.ids:
            for item in headline:
                if item["statement"] == statement and item.get("account_id") == account_id:
                    return item
    for statement in spec.statements:
        for name in spec.names:
            for item in headline:
                if item["statement"] == statement and _norm(item.get("account_name")) == _norm(name):
                    return item
    return None


def _first(values: Iterable[Number]) -> Number:
    for value in values:
        if value is not None:
            return value
    return None


def _pct(numerator: Number, denominator: Number) -> float | None:
    if numerator is None or denominator in (None, 0):
        return None
    return round(numerator / denominator * 100, 2)


def _change(current: Number, prior: Number) -> float | None:
    if current is None or prior in (None, 0):
        return None
    return round((current - prior) / abs(prior) * 100, 2)


def _roe(income: Number, equity_end: Number, equity_start: Number) -> float | None:
    if income is None or equity_end is None or equity_start is None:
        return None
    average = (equity_end + equity_start) / 2
    return round(income / average * 100, 2) if average > 0 else None


@dataclass(frozen=True)
class Period:
    """Which item columns make one period: flows from `flow`, balances from `balance` (None: not shown)."""

    key: str  # thstrm / frmtrm / bfefrmtrm
    year: int
    scope: str  # annual / cumulative / quarter
    months: int
    flow: tuple[str, ...]
    balance: str | None
    equity_start: str | None  # the balance column ROE averages with (None: no ROE)


def _label(period: Period, fiscal_end: int) -> str:
    if period.scope == "annual":
        return f"{period.year}년 연간"
    start = fiscal_end % 12 + 1
    if period.scope == "cumulative":
        end = (start - 1 + period.months - 1) % 12 + 1
        return f"{period.year}년 {start}~{end}월 누적"
    quarter_end = (start - 1 + period.months - 1) % 12 + 1  # months = months into the year at the quarter's end
    quarter_start = (quarter_end - 3) % 12 + 1
    return f"{period.year}년 {period.months // 3}분기({quarter_start}~{quarter_end}월)"


def periods(year: int, report: str) -> list[Period]:
    """The fiscal periods a report covers, newest first: what `history` lists."""
    months = REPORT_MONTHS[report]
    if report == "annual":
        return [
            Period("thstrm", year, "annual", 12, ("current",), "current", "prior"),
            Period("frmtrm", year - 1, "annual", 12, ("prior",), "prior", "before_prior"),
            Period("bfefrmtrm", year - 2, "annual", 12, ("before_prior",), "before_prior", None),
        ]
    # Q1's year to date is the quarter itself: some filers leave thstrm_add_amount empty there
    cumulative = ("current_cumulative", "current") if report == "q1" else ("current_cumulative",)
    prior_cumulative = ("prior_cumulative", "prior_quarter") if report == "q1" else ("prior_cumulative",)
    out = [
        Period("thstrm", year, "cumulative", months, cumulative, "current", "prior"),
        Period("frmtrm", year - 1, "cumulative", months, prior_cumulative, None, None),
    ]
    if report != "q1":
        out.insert(1, Period("thstrm", year, "quarter", months, ("current",), None, None))
        out.append(Period("frmtrm", year - 1, "quarter", months, ("prior_quarter",), None, None))
    return out


class Lines:
    """The items found for every account of ACCOUNTS in one report."""

    def __init__(self, items: list[dict[str, Any]], fields: Iterable[str]) -> None:
        self.found = {name: find(items, ACCOUNTS[name]) for name in fields}

    def value(self, name: str, columns: tuple[str, ...] | str | None) -> Number:
        item = self.found.get(name)
        if item is None or columns is None:
            return None
        cols = (columns,) if isinstance(columns, str) else columns
        return _first(item.get(c) for c in cols)

    def period_values(self, period: Period) -> dict[str, Number]:
        return {name: self.value(name, period.flow if ACCOUNTS[name].flow else period.balance) for name in self.found}


def _ratios(values: dict[str, Number], sector: Sector) -> dict[str, float | None]:
    ratios = {
        "operating_margin": _pct(values.get("operating_income"), values.get("revenue")),
        "net_margin": _pct(values.get("net_income"), values.get("revenue")),
        "debt_ratio": _pct(values.get("total_liabilities"), values.get("total_equity")),
    }
    if sector.financial:
        for name in REVENUE_RATIOS:
            ratios[name] = None
    return ratios


def _fields(sector: Sector) -> tuple[str, ...]:
    return (*GENERAL_FIELDS, *FINANCIAL_FIELDS) if sector.financial else GENERAL_FIELDS


def compute_key_metrics(
    items: list[dict[str, Any]], report: str, year: int, sector: Sector, fiscal_end: int = 12
) -> dict[str, Any]:
    """Metrics of one report (items of one fs_div) for the sector; shapes in schemas.KeyMetrics."""
    months = REPORT_MONTHS[report]
    lines = Lines(items, _fields(sector))
    if sector.financial:
        lines.found["revenue"] = None  # 영업수익 of a financial company is not 매출액
    plan = periods(year, report)
    main = plan[0]
    current = lines.period_values(main)
    prior_period = next(p for p in plan if p.key == "frmtrm" and p.scope == main.scope)
    prior = lines.period_values(prior_period)
    for name in lines.found:  # balances compare against the prior fiscal year end
        if not ACCOUNTS[name].flow:
            prior[name] = lines.value(name, "prior")

    owners_split = current.get("net_income_owners") is not None and current.get("equity_owners") is not None
    income_key, equity_key = ("net_income_owners", "equity_owners") if owners_split else ("net_income", "total_equity")
    roe = _roe(current.get(income_key), current.get(equity_key), prior.get(equity_key))

    history = []
    for period in plan:
        values = lines.period_values(period)
        entry: dict[str, Any] = {
            "period": period.key,
            "year": period.year,
            "scope": period.scope,
            "months": 3 if period.scope == "quarter" else period.months,
            "label": _label(period, fiscal_end),
            **values,
            **_ratios(values, sector),
            "roe": None,
        }
        if period.balance is None:
            entry["debt_ratio"] = None
        if period.equity_start is not None:
            entry["roe"] = _roe(
                values.get(income_key),
                lines.value(equity_key, period.balance),
                lines.value(equity_key, period.equity_start),
            )
        history.append(entry)

    quarter = None
    if report in ("h1", "q3"):
        now_q = next(h for h in history if h["period"] == "thstrm" and h["scope"] == "quarter")
        before_q = next(h for h in history if h["period"] == "frmtrm" and h["scope"] == "quarter")
        flows = [n for n in lines.found if ACCOUNTS[n].flow]
        quarter = {
            "label": now_q["label"],
            "prior_label": before_q["label"],
            "months": 3,
            **{n: now_q[n] for n in flows},
            "operating_margin": now_q["operating_margin"],
            "net_margin": now_q["net_margin"],
            "prior": {n: before_q[n] for n in flows},
            "yoy": {n: _change(now_q[n], before_q[n]) for n in flows},
        }

    reported = [n for n in SECTOR_LINES[sector.code] if lines.found.get(n) is not None]
    if sector.financial:
        reported += [n for n in FINANCIAL_EXTRAS if n not in reported and lines.found.get(n) is not None]
    omitted = {
        n: f"{n} is not among the lines DART returned for this report"
        for n in SECTOR_LINES[sector.code]
        if lines.found.get(n) is None
    }
    if sector.financial:
        reason = (
            f"{sector.as_dict()['name']}: financial companies report no 매출액 (their income starts from "
            "순이자손익, 순수수료손익, 보험손익 or 영업수익), so revenue-based ratios are not computed"
        )
        omitted.update({"revenue": reason, "operating_margin": reason, "net_margin": reason})

    return {
        **{name: current.get(name) for name in (*GENERAL_FIELDS, *FINANCIAL_FIELDS)},
        **_ratios(current, sector),
        "roe": roe,
        "roe_annualized": None if roe is None else round(roe * 12 / months, 2),
        "roe_basis": None if roe is None else ("owners_of_parent" if owners_split else "total"),
        "months": months,
        "period_scope": main.scope,
        "period_label": _label(main, fiscal_end),
        "lines": reported,
        "omitted": omitted,
        "prior": {**{n: prior.get(n) for n in lines.found}, **_ratios(prior, sector)},
        "yoy": {n: _change(current.get(n), prior.get(n)) for n in lines.found},
        "quarter": quarter,
        "history": history,
        "accounts": {
            name: None if item is None else {k: item.get(k) for k in ("statement", "account_id", "account_name")}
            for name, item in lines.found.items()
        },
        "formulas": FORMULAS,
    }
