"""Earnings review: the newest quarter against the prior quarter and the same quarter a year
earlier, computed from the DART key metrics (dart service `/key-metrics`) of the reports fetched.

Every key-metrics payload lists the periods its report covers in `history`: an annual report
its three fiscal years, a half-year or third-quarter report the year to date and the last
quarter alone (DART's `thstrm_add_amount` and `thstrm_amount`) for this year and the year
before (`frmtrm_add_amount`, `frmtrm_amount`), a first-quarter report the quarter (its year to
date). A quarter is the one reported alone when a report has it, else the difference of two
year-to-date figures: Q4 = the annual figure − the nine months to September (the annual report
has no fourth quarter of its own). Kia, 2024: revenue 107,448,752 − 80,300,635 = 27,148,117
백만원 for Q4 2024, against Q3 2024's 26,519,877 (+2.37 % QoQ) and Q4 2023's 99,808,420 −
75,480,266 = 24,328,154 (+11.59 % YoY).

A quarter no fetched report covers (the prior quarter of a Q3 review needs the half-year
report) is `None`: the review says it is unavailable rather than inventing it. Quarters are
fiscal quarters (months into the fiscal year), which for the December year-ends of the
recorded companies are calendar quarters.
"""

from dataclasses import dataclass
from typing import Any, Final

QUARTER_LINES: Final = ("revenue", "operating_income", "net_income")
END_MONTH: Final = {"q1": 3, "h1": 6, "q3": 9, "annual": 12}
REPORT_ENDING: Final = {3: "q1", 6: "h1", 9: "q3", 12: "annual"}


@dataclass(frozen=True)
class Quarter:
    """One fiscal quarter's flows in KRW (`None`: a line the reports lack). `how`: `reported`
    (alone in `report`) or `difference` (`longer` months − `shorter` months to date)."""

    year: int
    q: int
    values: dict[str, float | None]
    how: str
    report: str  # the report that has the quarter alone, or the one with the longer year to date
    longer: int = 0
    shorter: int = 0

    def margin(self) -> float | None:
        """Operating margin in percent (operating income / revenue x 100)."""
        revenue, income = self.values.get("revenue"), self.values.get("operating_income")
        if revenue in (None, 0) or income is None:
            return None
        return round(income / revenue * 100, 2)

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "quarter": self.q,
            **self.values,
            "operating_margin": self.margin(),
            "how": self.how,
            "report": self.report,
            **({"longer_months": self.longer, "shorter_months": self.shorter} if self.how == "difference" else {}),
        }


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _periods(reports: list[dict[str, Any]]) -> dict[tuple[int, str, int], tuple[dict[str, Any], str]]:
    """(year, `ytd` or `alone`, months into the year at its end) -> (history entry, report kind)."""
    table: dict[tuple[int, str, int], tuple[dict[str, Any], str]] = {}
    for data in reports:
        report = str(data.get("report") or "")
        end = END_MONTH.get(report)
        if end is None:
            continue
        for entry in data.get("history") or []:
            if not isinstance(entry, dict) or not isinstance(entry.get("year"), int):
                continue
            scope, year = entry.get("scope"), entry["year"]
            if scope == "annual":
                key = (year, "ytd", 12)
            elif scope == "cumulative":
                key = (year, "ytd", end)
            elif scope == "quarter":
                key = (year, "alone", end)
            else:
                continue
            # the newest report's figure wins (restated figures come later); reports are newest first
            table.setdefault(key, (entry, report))
    return table


def quarter(reports: list[dict[str, Any]], year: int, q: int) -> Quarter | None:
    """Quarter `q` (1-4) of fiscal `year` from key-metrics payloads (newest report first), or None."""
    table = _periods(reports)
    end = 3 * q
    alone = table.get((year, "alone", end)) or (table.get((year, "ytd", 3)) if q == 1 else None)
    if alone is not None:
        entry, report = alone
        return Quarter(year, q, {k: _number(entry.get(k)) for k in QUARTER_LINES}, "reported", report)
    longer, shorter = table.get((year, "ytd", end)), table.get((year, "ytd", end - 3))
    if longer is None or shorter is None:
        return None
    values: dict[str, float | None] = {}
    for key in QUARTER_LINES:
        a, b = _number(longer[0].get(key)), _number(shorter[0].get(key))
        values[key] = None if a is None or b is None else a - b
    return Quarter(year, q, values, "difference", longer[1], end, end - 3)


def _change(now: float | None, before: float | None) -> float | None:
    if now is None or before in (None, 0):
        return None
    return round((now - before) / abs(before) * 100, 2)


def _pp(now: float | None, before: float | None) -> float | None:
    return None if now is None or before is None else round(now - before, 2)


def review(reports: list[dict[str, Any]], year: int, report: str) -> dict[str, Any] | None:
    """The comparison for the quarter `report` of `year` ends (annual: Q4), as a dataset payload:
    `{latest, prior, year_ago}` (`Quarter.as_dict()` or None when unavailable, `missing_report`
    naming the report that would have it), `qoq`/`yoy` (percent per line) and
    `margin_qoq_pp`/`margin_yoy_pp` (percentage points). None when the latest quarter itself
    cannot be computed."""
    q = END_MONTH[report] // 3
    latest = quarter(reports, year, q)
    if latest is None:
        return None
    prior_at = (year, q - 1) if q > 1 else (year - 1, 4)
    prior = quarter(reports, *prior_at)
    year_ago = quarter(reports, year - 1, q)
    out: dict[str, Any] = {"latest": latest.as_dict()}
    for name, found, (at_year, at_q) in (("prior", prior, prior_at), ("year_ago", year_ago, (year - 1, q))):
        # the report that has this quarter alone (or its year to date): what was not found
        missing = {"year": at_year, "quarter": at_q, "missing_report": REPORT_ENDING[3 * at_q] if at_q < 4 else "q3"}
        out[name] = found.as_dict() if found is not None else {**missing, "unavailable": True}
        short = name.replace("prior", "qoq").replace("year_ago", "yoy")
        out[short] = {k: _change(latest.values.get(k), found.values.get(k) if found else None) for k in QUARTER_LINES}
        out[f"margin_{short}_pp"] = _pp(latest.margin(), found.margin() if found else None)
    return out
