"""단일회사 주요계정 (fnlttSinglAcnt) rows as statement items of one fs_div.

One main-accounts answer carries consolidated (`fs_div` CFS) and separate (OFS) rows
together; `items_of` returns the rows of one of them only, so metrics never mix the two.
Columns as DART documents them (개발가이드 > 상장기업 재무정보 > 단일회사 주요계정):
`thstrm_amount`, `frmtrm_amount`, `bfefrmtrm_amount` (annual reports only),
`thstrm_add_amount` / `frmtrm_add_amount` (interim reports: year to date). In interim
reports an income line's `thstrm_amount` is the last quarter alone and its
`frmtrm_amount` the same quarter a year earlier (in the recorded 2024 Q3 reports
삼성전자 매출액 79,098,731,000,000 for July-September against 225,082,634,000,000 year to
date); a balance line's `frmtrm_amount` is the prior fiscal year end.
"""

from typing import Any

from finscribe_dart.financials import FS_DIV, parse_item

INCOME_STATEMENTS = ("IS", "CIS")


def fs_divs(rows: list[dict[str, Any]]) -> set[str]:
    return {str(row.get("fs_div") or "").strip() for row in rows}


def items_of(rows: list[dict[str, Any]], fs: str, report: str) -> list[dict[str, Any]]:
    """The rows of one fs (consolidated/separate) as items in the shape of financials.parse_item."""
    wanted = FS_DIV[fs]
    items = []
    for row in rows:
        if str(row.get("fs_div") or "").strip() != wanted:
            continue
        item = parse_item(row)
        if report != "annual" and item["statement"] in INCOME_STATEMENTS:
            # the full statements call this column frmtrm_q_amount; keep one meaning per item key
            item["prior_quarter"], item["prior"] = item["prior"], None
        items.append(item)
    return items


def shift_back(items: list[dict[str, Any]], years: int) -> list[dict[str, Any]]:
    """An annual report's items seen from `years` earlier: frmtrm (1) or bfefrmtrm (2) becomes current."""
    shifted = []
    for item in items:
        columns = [item.get("current"), item.get("prior"), item.get("before_prior")][years:]
        columns += [None] * (3 - len(columns))
        shifted.append({**item, "current": columns[0], "prior": columns[1], "before_prior": columns[2]})
    return shifted
