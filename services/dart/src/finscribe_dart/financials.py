"""Turn fnlttSinglAcntAll rows into typed statement items.

Open DART sends every amount as a string: digits, sometimes with commas, a leading '-'
for negatives (some filers use parentheses), '' or '-' when there is no value. Which
columns carry what depends on the report:

- balance sheet (BS): `thstrm_amount` at the period end, `frmtrm_amount` at the prior
  fiscal year end (and `bfefrmtrm_amount` the year before, in annual reports);
- income statements (IS/CIS) in interim reports: `thstrm_amount` is the last quarter
  alone (3 months), `thstrm_add_amount` the year to date, `frmtrm_q_amount` and
  `frmtrm_add_amount` the same for the prior year (the real Samsung 2024 H1 file has
  exactly this); annual reports carry the full years in `thstrm_amount`/`frmtrm_amount`;
- cash flows (CF) in interim reports: `thstrm_amount` is year to date and the prior
  year's year to date sits in `frmtrm_q_amount`.
"""

import re
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

ReportKind = Literal["annual", "h1", "q1", "q3"]
FsKind = Literal["consolidated", "separate"]

REPORT_CODES: dict[str, str] = {"annual": "11011", "h1": "11012", "q1": "11013", "q3": "11014"}
FS_DIV: dict[str, str] = {"consolidated": "CFS", "separate": "OFS"}
# months covered by the year-to-date figures of each report
REPORT_MONTHS: dict[str, int] = {"annual": 12, "h1": 6, "q1": 3, "q3": 9}

STATEMENTS = ("BS", "IS", "CIS", "CF", "SCE")

_AMOUNT_RE = re.compile(r"^-?\d+(\.\d+)?$")


class AmountError(ValueError):
    pass


def parse_amount(raw: Any) -> int | float | None:
    """'1,234' -> 1234, '-5' -> -5, '(5)' -> -5, '' / '-' / None -> None."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise AmountError(f"not an amount: {raw!r}")
    if isinstance(raw, int):
        return raw
    text = str(raw).strip().replace(",", "").replace(" ", "")
    if text in ("", "-", "--", "N/A", "nan", "NaN"):
        return None
    negative = text.startswith("(") and text.endswith(")")
    if negative:
        text = text[1:-1]
    if not _AMOUNT_RE.match(text):
        raise AmountError(f"not an amount: {raw!r}")
    try:
        value = Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only decimals
        raise AmountError(f"not an amount: {raw!r}") from exc
    if negative:
        value = -value
    return int(value) if value == value.to_integral_value() else float(value)


def text_of(row: dict[str, Any], key: str) -> str | None:
    """A DART field as stripped text; None when absent or empty."""
    value = row.get(key)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def parse_item(row: dict[str, Any]) -> dict[str, Any]:
    """One DART row -> our item; raises AmountError on a value that is not a number."""
    detail = text_of(row, "account_detail")
    ord_raw = text_of(row, "ord")
    return {
        "statement": text_of(row, "sj_div"),
        "statement_name": text_of(row, "sj_nm"),
        "account_id": text_of(row, "account_id"),
        "account_name": text_of(row, "account_nm"),
        "account_detail": None if detail in (None, "-") else detail,
        "current": parse_amount(row.get("thstrm_amount")),
        "prior": parse_amount(row.get("frmtrm_amount")),
        "current_cumulative": parse_amount(row.get("thstrm_add_amount")),
        "prior_quarter": parse_amount(row.get("frmtrm_q_amount")),
        "prior_cumulative": parse_amount(row.get("frmtrm_add_amount")),
        "before_prior": parse_amount(row.get("bfefrmtrm_amount")),
        "current_label": text_of(row, "thstrm_nm"),
        "prior_label": text_of(row, "frmtrm_nm") or text_of(row, "frmtrm_q_nm"),
        "order": int(ord_raw) if ord_raw and ord_raw.isdigit() else None,
        "currency": text_of(row, "currency") or "KRW",
    }


def parse_items(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [parse_item(row) for row in rows]


def rcept_no_of(rows: list[dict[str, Any]]) -> str | None:
    for row in rows:
        value = text_of(row, "rcept_no")
        if value:
            return value
    return None
