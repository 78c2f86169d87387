"""The `quarters` dataset (data/quarters.py) in words and as the earnings review's first table.

Lines (what the LLM sees) and sentences (the data-only document) give, per line of the income
statement, the newest quarter, the prior quarter with the change in %, the same quarter a year
earlier with the change in %, and the operating margin with its changes in %p; a comparison
quarter no fetched report covers is said to be unavailable. Every figure shown is added to the
fact index (the grounding check accepts what the model was shown).
"""

from typing import Any

from finscribe_common.numbers.format import pct, pp
from finscribe_orchestrator.data.bundle import DataBundle, Dataset
from finscribe_orchestrator.data.quarters import QUARTER_LINES
from finscribe_orchestrator.labels import growth_word, label, money, report_name

COMPARED = (("prior", "qoq", "versus_prior_q", "q_which_prior"), ("year_ago", "yoy", "versus_same", "q_which_year_ago"))


def _name(lang: str, entry: dict[str, Any]) -> str:
    return label(lang, "q_name", year=entry.get("year"), q=entry.get("quarter"))


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _how(lang: str, entry: dict[str, Any]) -> str:
    """How a quarter was obtained: reported alone, or the difference of two years to date."""
    name, year = _name(lang, entry), entry.get("year")
    if entry.get("how") == "reported":
        return label(lang, "q_reported", period=name, report=report_name(lang, year, str(entry.get("report"))))
    longer = int(entry.get("longer_months") or 12)
    longer_name = label(lang, "fy", year=year) if longer == 12 else label(lang, "q_cum", year=year, months=longer)
    shorter = label(lang, "q_cum", year=year, months=entry.get("shorter_months"))
    return label(lang, "q_difference", period=name, longer=longer_name, shorter=shorter)


def summarize_quarters(ds: Dataset, bundle: DataBundle) -> None:
    lang = bundle.language
    data = ds.data if isinstance(ds.data, dict) else {}
    latest = data.get("latest")
    if not isinstance(latest, dict):
        return
    latest_name = _name(lang, latest)
    ds.lines.append(_how(lang, latest))
    for name, _, _, which in COMPARED:
        entry = data.get(name) or {}
        if entry.get("unavailable"):
            report = report_name(lang, entry.get("year"), str(entry.get("missing_report")))
            ds.lines.append(
                label(lang, "l_q_missing", which=label(lang, which), period=_name(lang, entry), report=report)
            )
            ds.sentences.append(label(lang, "s_q_missing", which=label(lang, which), period=_name(lang, entry), n=ds.n))
        else:
            ds.lines.append(_how(lang, entry))
    for key in QUARTER_LINES:
        value = _number(latest.get(key))
        if value is None:
            continue
        line_name = label(lang, key)
        line = label(lang, "l_q_line", name=line_name, latest_period=latest_name, latest=money(lang, value))
        parts = []
        for name, changes, versus, _ in COMPARED:
            entry = data.get(name) or {}
            before, change = _number(entry.get(key)), _number((data.get(changes) or {}).get(key))
            if before is None:
                continue
            shown = pct(change) if change is not None else label(lang, "q_missing_cell")
            line += label(
                lang,
                "l_q_vs",
                period=_name(lang, entry),
                value=money(lang, before),
                versus=label(lang, versus),
                change=shown,
            )
            bundle.facts.add_number(value - before)
            bundle.facts.add_period_pair(value, before)
            if change is not None:
                word = growth_word(lang, change)
                parts.append(
                    label(lang, "s_q_change", versus=label(lang, versus), change=pct(abs(change), False), word=word)
                )
        ds.lines.append(line)
        value_text = money(lang, value)
        if parts:
            joined = label(lang, "list_sep").join(parts)
            ds.sentences.append(
                label(lang, "s_q_line", period=latest_name, name=line_name, value=value_text, parts=joined, n=ds.n)
            )
        else:
            ds.sentences.append(label(lang, "s_q_flat", period=latest_name, name=line_name, value=value_text, n=ds.n))
    margin = _number(latest.get("operating_margin"))
    if margin is not None:
        line = label(
            lang, "l_q_margin", name=label(lang, "operating_margin"), latest_period=latest_name, latest=f"{margin:.2f}%"
        )
        for name, changes, versus, _ in COMPARED:
            entry = data.get(name) or {}
            before, change = _number(entry.get("operating_margin")), _number(data.get(f"margin_{changes}_pp"))
            if before is None or change is None:
                continue
            line += label(
                lang,
                "l_q_margin_vs",
                period=_name(lang, entry),
                value=f"{before:.2f}%",
                versus=label(lang, versus),
                change=pp(change),
            )
            bundle.facts.add_number(change, kind="pp")
        ds.lines.append(line)


def quarter_table(ds: Dataset, lang: str) -> tuple[list[str], list[list[str]], list[str]] | None:
    """(header, rows, align) of the figures table: item, newest quarter, prior quarter, QoQ,
    same quarter a year earlier, YoY, source; amounts in 조원/억원 (ko) or KRW trillion/billion
    (en), changes in % (margins in %p); numbers right-aligned. None without a newest quarter."""
    data = ds.data if isinstance(ds.data, dict) else {}
    latest = data.get("latest")
    if not isinstance(latest, dict):
        return None
    prior, year_ago = data.get("prior") or {}, data.get("year_ago") or {}
    missing = label(lang, "q_missing_cell")
    header = [
        label(lang, "item"),
        _name(lang, latest),
        _name(lang, prior),
        label(lang, "qoq_col"),
        _name(lang, year_ago),
        label(lang, "yoy_col"),
        label(lang, "source"),
    ]
    rows: list[list[str]] = []

    def cell(value: float | None, fmt: Any) -> str:
        return fmt(value) if value is not None else missing

    for key in QUARTER_LINES:
        now = _number(latest.get(key))
        if now is None:
            continue
        qoq, yoy = (_number((data.get(c) or {}).get(key)) for c in ("qoq", "yoy"))
        rows.append(
            [
                label(lang, key),
                money(lang, now),
                cell(_number(prior.get(key)), lambda v: money(lang, v)),
                cell(qoq, pct),
                cell(_number(year_ago.get(key)), lambda v: money(lang, v)),
                cell(yoy, pct),
                f"[{ds.n}]",
            ]
        )
    margin = _number(latest.get("operating_margin"))
    if margin is not None:
        rows.append(
            [
                label(lang, "operating_margin"),
                f"{margin:.2f}%",
                cell(_number(prior.get("operating_margin")), lambda v: f"{v:.2f}%"),
                cell(_number(data.get("margin_qoq_pp")), pp),
                cell(_number(year_ago.get("operating_margin")), lambda v: f"{v:.2f}%"),
                cell(_number(data.get("margin_yoy_pp")), pp),
                f"[{ds.n}]",
            ]
        )
    if not rows:
        return None
    return header, rows, ["left", "right", "right", "right", "right", "right", "left"]
