"""Turn each dataset into prompt lines, templated sentences and key figures.

Every figure a summary shows (including derived ones: period change, high/low, YoY,
margins) is added to the fact index here, so the grounding check accepts exactly what the
LLM was shown plus the raw data.
"""

import calendar
from collections.abc import Callable
from typing import Any

from finscribe_common.numbers.format import num, pct
from finscribe_orchestrator.data.bundle import DataBundle, Dataset
from finscribe_orchestrator.data.quarter_summary import summarize_quarters
from finscribe_orchestrator.grounding.facts import FactIndex
from finscribe_orchestrator.labels import (
    LABELS,
    change_word,
    growth_word,
    history_period,
    label,
    money,
    multiple,
    period_name,
)

# the general lines of key metrics, then the headline lines of financial companies (dart key-metrics
# `lines`); their names in either language are in labels.py
METRIC_LINES = ("revenue", "operating_income", "net_income", "total_assets", "total_liabilities", "total_equity")
FINANCIAL_LINES = (
    "net_interest_income",
    "net_fee_income",
    "insurance_result",
    "operating_revenue",
    "interest_income",
    "interest_expense",
    "deposits",
    "insurance_liabilities",
)
KNOWN_LINES = frozenset(METRIC_LINES + FINANCIAL_LINES)
FLOW_LINES = {
    "revenue",
    "operating_income",
    "net_income",
    "net_interest_income",
    "net_fee_income",
    "insurance_result",
    "operating_revenue",
    "interest_income",
    "interest_expense",
}
HEADLINE_FLOWS = (
    "revenue",
    "net_interest_income",
    "net_fee_income",
    "insurance_result",
    "operating_income",
    "net_income",
)
RATIO_KEYS = ("operating_margin", "debt_ratio", "roe")


def line_label(language: str, key: str) -> str:
    """A key-metrics line's name in the document's language (매출액 / Revenue)."""
    return label(language, key)


def metric_lines(data: dict[str, Any]) -> list[str]:
    """The lines a key-metrics answer reports for the company's sector (old answers: the general ones)."""
    lines = data.get("lines")
    if isinstance(lines, list) and lines:
        return [str(line) for line in lines if str(line) in KNOWN_LINES]
    return list(METRIC_LINES)


def is_financial(data: dict[str, Any]) -> bool:
    sector = data.get("sector")
    return isinstance(sector, dict) and bool(sector.get("financial"))


def _f(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(str(value).replace(",", "")) if isinstance(value, str) else float(value)
    except ValueError:
        return None


def _rows(data: Any) -> list[dict[str, Any]]:
    rows = (
        data
        if isinstance(data, list)
        else (data.get("items") or data.get("rows") or [])
        if isinstance(data, dict)
        else []
    )
    rows = [r for r in rows if isinstance(r, dict) and r.get("date")]
    return sorted(rows, key=lambda r: str(r["date"]))


def series_stats(rows: list[dict[str, Any]], field: str, facts: FactIndex) -> dict[str, Any] | None:
    dated = [(str(r["date"])[:10], _f(r.get(field))) for r in rows]
    points = [(d, v) for d, v in dated if v is not None]
    if not points:
        return None
    first_date, first = points[0]
    last_date, last = points[-1]
    high_date, high = max(points, key=lambda p: p[1])
    low_date, low = min(points, key=lambda p: p[1])
    stats = {
        "first": first,
        "first_date": first_date,
        "last": last,
        "last_date": last_date,
        "high": high,
        "high_date": high_date,
        "low": low,
        "low_date": low_date,
        "mean": sum(v for _, v in points) / len(points),
        "change_pct": (last - first) / first * 100 if first else None,
        "from_high_pct": (last - high) / high * 100 if high else None,
        "from_low_pct": (last - low) / low * 100 if low else None,
    }
    for back in (5, 21, 63, 126):  # a week, a month, a quarter, half a year of trading days
        if len(points) > back and points[-1 - back][1]:
            facts.add_number((last - points[-1 - back][1]) / points[-1 - back][1] * 100)
            facts.add_date(points[-1 - back][0])
    for _key, value in stats.items():
        if isinstance(value, float):
            facts.add_number(value)
    return stats


def _lang(bundle: DataBundle) -> str:
    return bundle.language


def summarize_price(ds: Dataset, bundle: DataBundle) -> None:
    lang = _lang(bundle)
    rows = _rows(ds.data)
    stats = series_stats(rows, "close", bundle.facts)
    if stats is None:
        ds.lines.append(label(lang, "no_prices"))
        return
    name = bundle.company.label if bundle.company else label(lang, "this_stock")

    def krw(value: float) -> str:
        return label(lang, "krw_price", value=num(value))

    ds.lines += [
        label(lang, "l_span", first=stats["first_date"], last=stats["last_date"], days=len(rows)),
        label(lang, "l_close", date=stats["last_date"], close=krw(stats["last"])),
        label(
            lang, "l_first_close", date=stats["first_date"], close=krw(stats["first"]), change=pct(stats["change_pct"])
        ),
        label(
            lang,
            "l_high_low",
            high=krw(stats["high"]),
            high_date=stats["high_date"],
            low=krw(stats["low"]),
            low_date=stats["low_date"],
        ),
        label(lang, "l_from_high_low", from_high=pct(stats["from_high_pct"]), from_low=pct(stats["from_low_pct"])),
    ]
    volumes = [v for v in (_f(r.get("volume")) for r in rows[-20:]) if v is not None]
    if volumes:
        avg = sum(volumes) / len(volumes)
        bundle.facts.add_number(avg)
        ds.lines.append(label(lang, "l_volume", days=len(volumes), volume=num(round(avg))))
    change = stats["change_pct"]
    ds.sentences.append(
        label(
            lang,
            "s_price",
            name=name,
            last_date=stats["last_date"],
            last=krw(stats["last"]),
            first_date=stats["first_date"],
            first=krw(stats["first"]),
            change=pct(abs(change), signed=False),
            word=change_word(lang, change),
            n=ds.n,
        )
    )
    ds.sentences.append(
        label(
            lang,
            "s_high_low",
            high=krw(stats["high"]),
            high_date=stats["high_date"],
            low=krw(stats["low"]),
            low_date=stats["low_date"],
            n=ds.n,
        )
    )
    ds.figures.append((label(lang, "close_on", date=stats["last_date"]), krw(stats["last"])))
    ds.figures.append((label(lang, "period_change"), pct(stats["change_pct"])))


def summarize_index(ds: Dataset, bundle: DataBundle) -> None:
    lang = _lang(bundle)
    rows = _rows(ds.data)
    stats = series_stats(rows, "close", bundle.facts)
    if stats is None:
        ds.lines.append(label(lang, "no_index"))
        return
    ds.lines += [
        label(lang, "l_index_span", first=stats["first_date"], last=stats["last_date"]),
        label(
            lang,
            "l_index",
            date=stats["last_date"],
            level=num(round(stats["last"], 2)),
            change=pct(stats["change_pct"]),
        ),
    ]
    ds.sentences.append(
        label(
            lang,
            "s_index",
            title=ds.title,
            first=num(round(stats["first"], 2)),
            last=num(round(stats["last"], 2)),
            change=pct(abs(stats["change_pct"]), signed=False),
            word=change_word(lang, stats["change_pct"]),
            n=ds.n,
        )
    )
    price = bundle.get("price") or next((d for k, d in bundle.datasets.items() if k.startswith("price:")), None)
    if price is not None:
        p = series_stats(_rows(price.data), "close", bundle.facts)
        if p and p.get("change_pct") is not None and stats.get("change_pct") is not None:
            gap = p["change_pct"] - stats["change_pct"]
            bundle.facts.add_number(gap, kind="pp")
            ds.lines.append(label(lang, "l_gap", gap=pct(gap)))
            key = "s_gap_up" if gap > 0 else "s_gap_down"
            ds.sentences.append(label(lang, key, gap=f"{abs(gap):.2f}", p=price.n, n=ds.n))


def summarize_market_cap(ds: Dataset, bundle: DataBundle) -> None:
    lang = _lang(bundle)
    rows = _rows(ds.data)
    if not rows:
        return
    last = rows[-1]
    cap, shares = _f(last.get("market_cap")), _f(last.get("shares"))
    date = str(last["date"])[:10]
    if cap is not None:
        ds.lines.append(label(lang, "l_market_cap", date=date, cap=money(lang, cap), raw=num(cap)))
        ds.sentences.append(label(lang, "s_market_cap", date=date, cap=money(lang, cap), n=ds.n))
        ds.figures.append((label(lang, "market_cap"), money(lang, cap)))
    if shares is not None:
        ds.lines.append(label(lang, "l_shares", shares=num(shares)))


def summarize_fundamentals(ds: Dataset, bundle: DataBundle) -> None:
    lang = _lang(bundle)
    rows = _rows(ds.data)
    if not rows:
        return
    last = rows[-1]
    parts = []
    krw = "krw_price"
    for key, name, fmt in (
        ("per", "PER", lambda v: multiple(lang, v)),
        ("pbr", "PBR", lambda v: multiple(lang, v)),
        ("eps", "EPS", lambda v: label(lang, krw, value=num(v))),
        ("bps", "BPS", lambda v: label(lang, krw, value=num(v))),
        ("div", label(lang, "dividend_yield"), lambda v: f"{v:.2f}%"),
        ("dps", label(lang, "dps"), lambda v: label(lang, krw, value=num(v))),
    ):
        value = _f(last.get(key))
        if value is not None and value != 0:
            parts.append(f"{name} {fmt(value)}")
            if key in ("per", "pbr"):
                ds.figures.append((name, fmt(value)))
    if parts:
        date = str(last["date"])[:10]
        joined = label(lang, "list_sep").join(parts)
        ds.lines.append(label(lang, "l_valuation", date=date, parts=joined))
        ds.sentences.append(label(lang, "s_valuation", date=date, parts=joined, n=ds.n))


def summarize_metrics(ds: Dataset, bundle: DataBundle) -> None:
    """dart key-metrics: amounts in KRW, ratios and `yoy` in percent, `prior` the comparative period,
    `lines` the sector's own lines (a bank: 순이자이익, no 매출액), `history` every period the report covers."""
    lang = _lang(bundle)
    data = ds.data if isinstance(ds.data, dict) else {}
    yoy = got if isinstance(got := data.get("yoy"), dict) else {}
    prior = got if isinstance(got := data.get("prior"), dict) else {}
    financial = is_financial(data)
    lines = metric_lines(data)
    headline: list[float | None] = []
    sentence_parts = []
    sector = data.get("sector") if isinstance(data.get("sector"), dict) else None
    if sector and lang == "ko":
        ds.lines.append(label(lang, "l_sector", name=sector.get("name"), code=sector.get("induty_code")))
    elif sector:  # the sector's name is Korean: an English document says what it means
        kind = "financial" if financial else "non-financial"
        ds.lines.append(label(lang, "l_sector", name=kind, code=sector.get("induty_code")))
    if financial:
        ds.lines.append(label(lang, "l_financial"))
    if data.get("fs_div") in ("CFS", "OFS"):
        ds.lines.append(label(lang, "l_fs", fs=label(lang, f"fs_{data['fs_div']}"), div=data["fs_div"]))
    period = _main_period(lang, data)
    if data.get("months"):
        months = period or label(lang, "months_cumulative", months=data["months"])
        ds.lines.append(label(lang, "l_flow_scope", period=months))
    if data.get("note") and lang == "ko":  # the dart service's note is Korean; fs_div above says the same
        ds.lines.append(label(lang, "l_note", note=data["note"]))
    for key in lines:
        name = line_label(lang, key)
        value = _f(data.get(key))
        headline.append(value)
        if value is None:
            continue
        line = label(lang, "l_metric", name=name, value=money(lang, value), raw=num(value))
        before = _f(prior.get(key))
        if before is not None:
            line += label(lang, "l_metric_prior", value=money(lang, before))
            bundle.facts.add_number(value - before)
            bundle.facts.add_period_pair(value, before)
        change = _f(yoy.get(key))
        flow = key in FLOW_LINES
        if change is not None:
            line += label(lang, "l_metric_change", change=pct(change))
        if flow and key in HEADLINE_FLOWS:
            if change is not None:
                versus = label(lang, "versus_year" if data.get("report") == "annual" else "versus_same")
                sentence_parts.append(
                    label(
                        lang,
                        "s_metric_change",
                        name=name,
                        value=money(lang, value),
                        versus=versus,
                        change=pct(abs(change), False),
                        word=growth_word(lang, change),
                    )
                )
            else:
                sentence_parts.append(label(lang, "s_metric", name=name, value=money(lang, value)))
            shown = period or period_name(lang, data.get("year"), str(data.get("report")))
            figure = label(lang, "figure_in", name=name, period=shown) if data.get("year") else name
            ds.figures.append((figure, money(lang, value)))
        ds.lines.append(line)
    for key in RATIO_KEYS:
        name = label(lang, key)
        value = _f(data.get(key))
        if value is None or (financial and key == "debt_ratio"):
            continue  # a bank's liabilities are its deposits: 부채비율 says nothing about it
        ds.lines.append(label(lang, "l_ratio", name=name, value=f"{value:.2f}%"))
        before = _f(prior.get(key))
        if before is not None:
            bundle.facts.add_number(value - before, kind="pp")  # a ratio's change is in %p
        if key in ("operating_margin", "debt_ratio") or (financial and key == "roe"):
            sentence_parts.append(f"{name} {value:.2f}%")
            shown_in = label(lang, "figure_in", name=name, period=period) if financial and period else name
            ds.figures.append((shown_in, f"{value:.2f}%"))
    _history_lines(ds, data, lines, bundle)
    bundle.facts.add_pairwise(headline)
    if sentence_parts:
        joined = label(lang, "list_sep").join(sentence_parts)
        ds.sentences.append(label(lang, "s_metrics", title=ds.title, parts=joined, n=ds.n))


def _main_period(lang: str, data: dict[str, Any]) -> str:
    """The period the report's flows cover ('2024년 1~9월 누적' / '2024 months 1-9 cumulative')."""
    if lang == "ko":
        return str(data.get("period_label") or "")
    history = [h for h in data.get("history") or [] if isinstance(h, dict)]
    main = next(
        (h for h in history if h.get("period") == "thstrm" and h.get("scope") == data.get("period_scope")), None
    )
    return history_period(lang, main) if main else ""


def _history_lines(ds: Dataset, data: dict[str, Any], lines: list[str], bundle: DataBundle) -> None:
    """One line per period the report covers (three years, or year to date and the quarter alone)."""
    lang = _lang(bundle)
    sep = label(lang, "list_sep")
    history = [h for h in data.get("history") or [] if isinstance(h, dict)]
    flows = [k for k in lines if k in FLOW_LINES and k in HEADLINE_FLOWS]
    for entry in history[1:] if data.get("report") == "annual" else history:
        parts = [f"{line_label(lang, k)} {money(lang, v)}" for k in flows if (v := _f(entry.get(k))) is not None]
        if parts:
            ds.lines.append(label(lang, "l_history", period=history_period(lang, entry), parts=sep.join(parts)))
    quarter = data.get("quarter") if isinstance(data.get("quarter"), dict) else None
    if quarter:
        q_yoy = quarter.get("yoy") if isinstance(quarter.get("yoy"), dict) else {}
        parts = []
        for key in flows:
            value, change = _f(quarter.get(key)), _f(q_yoy.get(key))
            if value is None:
                continue
            after = label(lang, "q_yoy", change=pct(change)) if change is not None else ""
            parts.append(f"{line_label(lang, key)} {money(lang, value)}{after}")
        if parts:
            entry = next(
                (h for h in history if h.get("period") == "thstrm" and h.get("scope") == "quarter"),
                {"label": quarter.get("label")},
            )
            shown = history_period(lang, entry, str(quarter.get("label") or ""))
            ds.sentences.append(label(lang, "s_quarter", period=shown, parts=sep.join(parts), n=ds.n))
    annual = [h for h in history if h.get("scope") == "annual"]
    if data.get("report") == "annual" and len(annual) >= 2:
        trend = next((k for k in flows if _f(annual[0].get(k)) is not None), None)
        if trend is not None:
            trail = sep.join(
                label(lang, "trail_year", year=h.get("year"), value=money(lang, v))
                for h in reversed(annual)
                if (v := _f(h.get(trend))) is not None
            )
            ds.sentences.append(label(lang, "s_trend", name=line_label(lang, trend), trail=trail, n=ds.n))
            for h in annual:
                bundle.facts.add_year(str(h.get("year")))


def summarize_profile(ds: Dataset, bundle: DataBundle) -> None:
    """dart company profile (company.json): representative, industry, market, fiscal year end, homepage.
    An English document leaves out what DART gives only in Korean (representative, industry name, address)."""
    lang = _lang(bundle)
    data = ds.data if isinstance(ds.data, dict) else {}
    name = data.get("corp_name") or (bundle.company.name if bundle.company else "")
    if lang == "en" and bundle.company is not None:
        name = bundle.company.name  # DART's corp_name carries a Korean suffix ("삼성전자(주)")
    facts = []
    if data.get("ceo_nm") and lang == "ko":
        facts.append(label(lang, "p_ceo", value=data["ceo_nm"]))
    if data.get("industry") or data.get("induty_code"):
        industry = (data.get("industry") if lang == "ko" else None) or label(lang, "p_industry_unknown")
        facts.append(label(lang, "p_industry", industry=industry, code=data.get("induty_code")))
    if data.get("market"):
        market = str(data["market"])
        key = f"market_{market}"
        facts.append(label(lang, "p_market", value=label(lang, key) if key in LABELS["ko"] else market))
    if data.get("acc_mt"):
        facts.append(label(lang, "p_fiscal", value=_month(lang, data["acc_mt"])))
    if data.get("est_dt"):
        facts.append(label(lang, "p_est", value=data["est_dt"]))
    if data.get("hm_url"):
        facts.append(label(lang, "p_home", value=data["hm_url"]))
    if not facts:
        return
    joined = label(lang, "list_sep").join(facts)
    ds.lines.append(label(lang, "l_profile", name=name, facts=joined))
    if data.get("adres") and lang == "ko":
        ds.lines.append(label(lang, "l_address", value=data["adres"]))
    ds.lines.append(label(lang, "l_no_listing"))
    ds.sentences.append(label(lang, "s_profile", name=name, facts=joined, n=ds.n))


def summarize_financials(ds: Dataset, bundle: DataBundle) -> None:
    lang = _lang(bundle)
    data = ds.data if isinstance(ds.data, dict) else {}
    items = [i for i in data.get("items") or [] if isinstance(i, dict)]
    shown = 0
    for item in items:
        current, prior = _f(item.get("current")), _f(item.get("prior"))
        if current is not None and prior:
            bundle.facts.add_number((current - prior) / abs(prior) * 100)
            bundle.facts.add_number(current - prior)
        for extra in ("current_cumulative", "prior_cumulative"):
            value = _f(item.get(extra))
            if value is not None and prior:
                bundle.facts.add_number((value - prior) / abs(prior) * 100)
        # DART's account names are Korean; an English document gives the model the IFRS account id
        account = item.get("account_name") if lang == "ko" else item.get("account_id") or item.get("account_name")
        if shown < 12 and item.get("statement") in ("BS", "IS", "CIS") and current is not None:
            line = label(
                lang, "l_statement", statement=item.get("statement"), account=account, current=money(lang, current)
            )
            if prior is not None:
                line += label(lang, "l_statement_prior", prior=money(lang, prior))
            ds.lines.append(line)
            shown += 1
    fs_used = data.get("fs_used")
    if fs_used in ("consolidated", "separate"):
        ds.lines.insert(0, label(lang, "l_fs_used", fs=label(lang, f"fs_{fs_used}")))


def summarize_filings(ds: Dataset, bundle: DataBundle) -> None:
    """Filing titles (`report_nm`) stay as filed, in Korean, in either language."""
    lang = _lang(bundle)
    filings = [f for f in ds.data or [] if isinstance(f, dict)] if isinstance(ds.data, list) else []
    for filing in filings[:8]:
        ds.lines.append(
            label(
                lang,
                "l_filing",
                date=filing.get("rcept_dt"),
                name=filing.get("report_nm"),
                rcept_no=filing.get("rcept_no"),
            )
        )
    if filings:
        names = label(lang, "list_sep").join(f"{f.get('report_nm')} ({_date(f.get('rcept_dt'))})" for f in filings[:3])
        ds.sentences.append(label(lang, "s_filings", names=names, n=ds.n))


def _month(lang: str, value: Any) -> str:
    """DART's `acc_mt` ("12", the fiscal year's last month) as the language writes it: the
    Korean label says "12월" itself; English names the month ("December")."""
    text = str(value).strip()
    if lang == "en" and text.isdigit() and 1 <= int(text) <= 12:
        return calendar.month_name[int(text)]
    return text


def _date(value: Any) -> str:
    text = str(value or "")
    return f"{text[:4]}-{text[4:6]}-{text[6:8]}" if len(text) == 8 and text.isdigit() else text[:10]


def summarize_fx(ds: Dataset, bundle: DataBundle) -> None:
    lang = _lang(bundle)
    data = ds.data if isinstance(ds.data, dict) else {}
    rate = _f(data.get("rate"))
    if rate is not None:
        date = data.get("as_of") or ds.source.get("as_of")
        ds.lines.append(label(lang, "l_fx", date=date, rate=f"{rate:,.2f}"))
        ds.sentences.append(label(lang, "s_fx", rate=f"{rate:,.2f}", n=ds.n))


def summarize_quote(ds: Dataset, bundle: DataBundle) -> None:
    lang = _lang(bundle)
    data = ds.data if isinstance(ds.data, dict) else {}
    price = _f(data.get("price"))
    if price is not None:
        date = data.get("as_of") or ds.source.get("as_of")
        ds.lines.append(label(lang, "l_quote", date=date, price=num(price), currency=data.get("currency") or ""))


SUMMARIZERS: dict[str, Callable[[Dataset, DataBundle], None]] = {
    "profile": summarize_profile,
    "price": summarize_price,
    "index": summarize_index,
    "market_cap": summarize_market_cap,
    "fundamentals": summarize_fundamentals,
    "metrics_annual": summarize_metrics,
    "metrics_interim": summarize_metrics,
    "metrics_quarter": summarize_metrics,
    "quarters": summarize_quarters,
    "financials": summarize_financials,
    "filings": summarize_filings,
    "fx": summarize_fx,
    "quote": summarize_quote,
}


def summarize(bundle: DataBundle) -> None:
    # price before index: the index summary compares against the price's change
    first = [k for k in bundle.datasets if k.split(":", 1)[0] == "price"]
    for key in (*first, *[k for k in bundle.datasets if k not in first]):
        dataset = bundle.get(key)
        if dataset is None:
            continue
        # "price:005930" is a price series too (ask may fetch several companies); PDF passages get
        # their lines in gather.add_pdf_hits
        summarizer = SUMMARIZERS.get(key.split(":", 1)[0])
        if summarizer is not None:
            with bundle.facts.attributed(key):  # what a summary derives is cited to its dataset
                summarizer(dataset, bundle)
