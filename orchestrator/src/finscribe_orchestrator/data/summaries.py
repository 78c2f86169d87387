"""Turn each dataset into prompt lines, templated sentences and key figures.

Every figure a summary shows (including derived ones: period change, high/low, YoY,
margins) is added to the fact index here, so the grounding check accepts exactly what the
LLM was shown plus the raw data.
"""

from collections.abc import Callable
from typing import Any

from finscribe_common.numbers.format import change_word, growth_word, num, pct, times, won
from finscribe_orchestrator.data.bundle import DataBundle, Dataset
from finscribe_orchestrator.grounding.facts import FactIndex

PERIODS = {"annual": "연간", "h1": "상반기", "q1": "1분기", "q3": "3분기 누적"}
REPORT_LABELS = {"annual": "사업보고서(연간)", "h1": "반기보고서", "q1": "1분기보고서", "q3": "3분기보고서"}
METRIC_LABELS = {
    "revenue": "매출액",
    "operating_income": "영업이익",
    "net_income": "당기순이익",
    "total_assets": "자산총계",
    "total_liabilities": "부채총계",
    "total_equity": "자본총계",
}
# the headline lines of financial companies (dart key-metrics `lines`), in Korean report wording
FINANCIAL_LABELS = {
    "net_interest_income": "순이자이익",
    "net_fee_income": "순수수료이익",
    "insurance_result": "보험손익",
    "operating_revenue": "영업수익",
    "interest_income": "이자수익",
    "interest_expense": "이자비용",
    "deposits": "예수부채",
    "insurance_liabilities": "보험계약부채",
}
LINE_LABELS = {**METRIC_LABELS, **FINANCIAL_LABELS}
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
RATIO_LABELS = {"operating_margin": "영업이익률", "debt_ratio": "부채비율", "roe": "ROE"}
MARKET_NAMES = {"KOSPI": "유가증권시장(KOSPI)", "KOSDAQ": "코스닥", "KONEX": "코넥스"}


def metric_lines(data: dict[str, Any]) -> list[str]:
    """The lines a key-metrics answer reports for the company's sector (old answers: the general ones)."""
    lines = data.get("lines")
    if isinstance(lines, list) and lines:
        return [str(line) for line in lines if str(line) in LINE_LABELS]
    return list(METRIC_LABELS)


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
    points = [(str(r["date"])[:10], _f(r.get(field))) for r in rows]
    points = [(d, v) for d, v in points if v is not None]
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


def summarize_price(ds: Dataset, bundle: DataBundle) -> None:
    rows = _rows(ds.data)
    stats = series_stats(rows, "close", bundle.facts)
    if stats is None:
        ds.lines.append("주가 데이터 없음")
        return
    name = bundle.company.label if bundle.company else "해당 종목"
    ds.lines += [
        f"기간 {stats['first_date']} ~ {stats['last_date']}, 거래일 {len(rows)}일",
        f"최근 종가({stats['last_date']}): {num(stats['last'])}원",
        f"기간 시작 종가({stats['first_date']}): {num(stats['first'])}원, 기간 변동률 {pct(stats['change_pct'])}",
        f"기간 최고 종가 {num(stats['high'])}원({stats['high_date']}), "
        f"최저 종가 {num(stats['low'])}원({stats['low_date']})",
        f"최고가 대비 {pct(stats['from_high_pct'])}, 최저가 대비 {pct(stats['from_low_pct'])}",
    ]
    volumes = [_f(r.get("volume")) for r in rows[-20:]]
    volumes = [v for v in volumes if v is not None]
    if volumes:
        avg = sum(volumes) / len(volumes)
        bundle.facts.add_number(avg)
        ds.lines.append(f"최근 {len(volumes)}거래일 평균 거래량 {num(round(avg))}주")
    change = stats["change_pct"]
    ds.sentences.append(
        f"{name}의 {stats['last_date']} 종가는 {num(stats['last'])}원으로, {stats['first_date']} 종가 "
        f"{num(stats['first'])}원 대비 {pct(abs(change), signed=False)} {change_word(change)}했습니다 [{ds.n}]."
    )
    ds.sentences.append(
        f"같은 기간 종가 기준 최고가는 {num(stats['high'])}원({stats['high_date']}), 최저가는 "
        f"{num(stats['low'])}원({stats['low_date']})입니다 [{ds.n}]."
    )
    ds.figures.append((f"종가 ({stats['last_date']})", f"{num(stats['last'])}원"))
    ds.figures.append(("기간 변동률", pct(stats["change_pct"])))


def summarize_index(ds: Dataset, bundle: DataBundle) -> None:
    rows = _rows(ds.data)
    stats = series_stats(rows, "close", bundle.facts)
    if stats is None:
        ds.lines.append("지수 데이터 없음")
        return
    ds.lines += [
        f"기간 {stats['first_date']} ~ {stats['last_date']}",
        f"최근 지수({stats['last_date']}): {num(round(stats['last'], 2))}포인트, "
        f"기간 변동률 {pct(stats['change_pct'])}",
    ]
    ds.sentences.append(
        f"같은 기간 {ds.title}는 {num(round(stats['first'], 2))}포인트에서 {num(round(stats['last'], 2))}포인트로 "
        f"{pct(abs(stats['change_pct']), signed=False)} {change_word(stats['change_pct'])}했습니다 [{ds.n}]."
    )
    price = bundle.get("price") or next((d for k, d in bundle.datasets.items() if k.startswith("price:")), None)
    if price is not None:
        p = series_stats(_rows(price.data), "close", bundle.facts)
        if p and p.get("change_pct") is not None and stats.get("change_pct") is not None:
            gap = p["change_pct"] - stats["change_pct"]
            bundle.facts.add_number(gap, kind="pp")
            ds.lines.append(f"주가 변동률과 지수 변동률의 차이: {pct(gap)}포인트")
            word = "웃돌았습니다" if gap > 0 else "밑돌았습니다"
            ds.sentences.append(f"주가 수익률은 지수 대비 {abs(gap):.2f}%포인트 {word} [{price.n}][{ds.n}].")


def summarize_market_cap(ds: Dataset, bundle: DataBundle) -> None:
    rows = _rows(ds.data)
    if not rows:
        return
    last = rows[-1]
    cap, shares = _f(last.get("market_cap")), _f(last.get("shares"))
    if cap is not None:
        ds.lines.append(f"시가총액({str(last['date'])[:10]}): {won(cap)} ({num(cap)}원)")
        ds.sentences.append(f"{str(last['date'])[:10]} 기준 시가총액은 {won(cap)}입니다 [{ds.n}].")
        ds.figures.append(("시가총액", won(cap)))
    if shares is not None:
        ds.lines.append(f"상장주식수: {num(shares)}주")


def summarize_fundamentals(ds: Dataset, bundle: DataBundle) -> None:
    rows = _rows(ds.data)
    if not rows:
        return
    last = rows[-1]
    parts = []
    for key, label, fmt in (
        ("per", "PER", times),
        ("pbr", "PBR", times),
        ("eps", "EPS", lambda v: f"{num(v)}원"),
        ("bps", "BPS", lambda v: f"{num(v)}원"),
        ("div", "배당수익률", lambda v: f"{v:.2f}%"),
        ("dps", "주당배당금", lambda v: f"{num(v)}원"),
    ):
        value = _f(last.get(key))
        if value is not None and value != 0:
            parts.append(f"{label} {fmt(value)}")
            if key in ("per", "pbr"):
                ds.figures.append((label, fmt(value)))
    if parts:
        date = str(last["date"])[:10]
        ds.lines.append(f"{date} 기준 " + ", ".join(parts))
        ds.sentences.append(f"{date} 기준 밸류에이션 지표는 " + ", ".join(parts) + f"입니다 [{ds.n}].")


def summarize_metrics(ds: Dataset, bundle: DataBundle) -> None:
    """dart key-metrics: amounts in KRW, ratios and `yoy` in percent, `prior` the comparative period,
    `lines` the sector's own lines (a bank: 순이자이익, no 매출액), `history` every period the report covers."""
    data = ds.data if isinstance(ds.data, dict) else {}
    yoy = data.get("yoy") if isinstance(data.get("yoy"), dict) else {}
    prior = data.get("prior") if isinstance(data.get("prior"), dict) else {}
    financial = is_financial(data)
    lines = metric_lines(data)
    headline: list[float | None] = []
    sentence_parts = []
    sector = data.get("sector") if isinstance(data.get("sector"), dict) else None
    if sector:
        ds.lines.append(f"업종 구분: {sector.get('name')} (DART 업종코드 {sector.get('induty_code')})")
    if financial:
        ds.lines.append("금융업은 매출액을 보고하지 않으므로 매출액과 영업이익률은 쓰지 않습니다")
    if data.get("fs_div"):
        ds.lines.append(f"재무제표 구분: {'연결' if data['fs_div'] == 'CFS' else '별도'}({data['fs_div']})")
    period = str(data.get("period_label") or "")
    if data.get("months"):
        ds.lines.append(
            f"손익 항목은 {period or str(data['months']) + '개월 누적'}, 비교 기간은 전년 동기(재무상태표는 전기말)"
        )
    if data.get("note"):
        ds.lines.append(f"참고: {data['note']}")
    for key in lines:
        label = LINE_LABELS[key]
        value = _f(data.get(key))
        headline.append(value)
        if value is None:
            continue
        line = f"{label}: {won(value)} ({num(value)}원)"
        before = _f(prior.get(key))
        if before is not None:
            line += f", 비교 기간 {won(before)}"
            bundle.facts.add_number(value - before)
            bundle.facts.add_period_pair(value, before)
        change = _f(yoy.get(key))
        flow = key in FLOW_LINES
        if change is not None:
            line += f", 변동률 {pct(change)}"
        if flow and key in HEADLINE_FLOWS:
            if change is not None:
                versus = "전년 대비" if data.get("report") == "annual" else "전년 동기 대비"
                sentence_parts.append(f"{label} {won(value)}({versus} {pct(abs(change), False)} {growth_word(change)})")
            else:
                sentence_parts.append(f"{label} {won(value)}")
            shown = period or f"{data.get('year')}년 {PERIODS.get(str(data.get('report')), '')}".strip()
            ds.figures.append((f"{label} ({shown})" if data.get("year") else label, won(value)))
        ds.lines.append(line)
    for key, label in RATIO_LABELS.items():
        value = _f(data.get(key))
        if value is None or (financial and key == "debt_ratio"):
            continue  # a bank's liabilities are its deposits: 부채비율 says nothing about it
        ds.lines.append(f"{label}: {value:.2f}%")
        before = _f(prior.get(key))
        if before is not None:
            bundle.facts.add_number(value - before, kind="pp")  # a ratio's change is in %p
        if key in ("operating_margin", "debt_ratio") or (financial and key == "roe"):
            sentence_parts.append(f"{label} {value:.2f}%")
            ds.figures.append((f"{label} ({period})" if financial and period else label, f"{value:.2f}%"))
    _history_lines(ds, data, lines, bundle)
    bundle.facts.add_pairwise(headline)
    if sentence_parts:
        ds.sentences.append(f"{ds.title} 기준 " + ", ".join(sentence_parts) + f"입니다 [{ds.n}].")


def _history_lines(ds: Dataset, data: dict[str, Any], lines: list[str], bundle: DataBundle) -> None:
    """One line per period the report covers (three years, or year to date and the quarter alone)."""
    history = [h for h in data.get("history") or [] if isinstance(h, dict)]
    flows = [k for k in lines if k in FLOW_LINES and k in HEADLINE_FLOWS]
    for entry in history[1:] if data.get("report") == "annual" else history:
        parts = [f"{LINE_LABELS[k]} {won(v)}" for k in flows if (v := _f(entry.get(k))) is not None]
        if parts:
            ds.lines.append(f"{entry.get('label')}: " + ", ".join(parts))
    quarter = data.get("quarter") if isinstance(data.get("quarter"), dict) else None
    if quarter:
        q_yoy = quarter.get("yoy") if isinstance(quarter.get("yoy"), dict) else {}
        parts = []
        for key in flows:
            value, change = _f(quarter.get(key)), _f(q_yoy.get(key))
            if value is None:
                continue
            parts.append(
                f"{LINE_LABELS[key]} {won(value)}" + (f"(전년 동기 대비 {pct(change)})" if change is not None else "")
            )
        if parts:
            ds.sentences.append(f"{quarter.get('label')} 분기 단독으로는 " + ", ".join(parts) + f"입니다 [{ds.n}].")
    annual = [h for h in history if h.get("scope") == "annual"]
    if data.get("report") == "annual" and len(annual) >= 2:
        trend = next((k for k in flows if _f(annual[0].get(k)) is not None), None)
        if trend is not None:
            trail = ", ".join(
                f"{h.get('year')}년 {won(v)}" for h in reversed(annual) if (v := _f(h.get(trend))) is not None
            )
            ds.sentences.append(f"연간 {LINE_LABELS[trend]}은 {trail}입니다 [{ds.n}].")
            for h in annual:
                bundle.facts.add_year(str(h.get("year")))


def summarize_profile(ds: Dataset, bundle: DataBundle) -> None:
    """dart company profile (company.json): representative, industry, market, fiscal year end, homepage."""
    data = ds.data if isinstance(ds.data, dict) else {}
    name = data.get("corp_name") or (bundle.company.name if bundle.company else "")
    facts = []
    if data.get("ceo_nm"):
        facts.append(f"대표이사 {data['ceo_nm']}")
    if data.get("industry") or data.get("induty_code"):
        industry = data.get("industry") or "업종명 미상"
        facts.append(f"업종 {industry}(업종코드 {data.get('induty_code')})")
    if data.get("market"):
        facts.append(f"상장시장 {MARKET_NAMES.get(str(data['market']), data['market'])}")
    if data.get("acc_mt"):
        facts.append(f"결산월 {data['acc_mt']}월")
    if data.get("est_dt"):
        facts.append(f"설립일 {data['est_dt']}")
    if data.get("hm_url"):
        facts.append(f"홈페이지 {data['hm_url']}")
    if not facts:
        return
    ds.lines.append(f"{name}: " + ", ".join(facts))
    if data.get("adres"):
        ds.lines.append(f"주소: {data['adres']}")
    ds.lines.append("상장일은 DART 기업개황에 없습니다")
    ds.sentences.append(f"{name}의 기업개황은 " + ", ".join(facts) + f"입니다 [{ds.n}].")


def summarize_financials(ds: Dataset, bundle: DataBundle) -> None:
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
        if shown < 12 and item.get("statement") in ("BS", "IS", "CIS") and current is not None:
            line = f"{item.get('statement')} {item.get('account_name')}: 당기 {won(current)}"
            if prior is not None:
                line += f", 전기 {won(prior)}"
            ds.lines.append(line)
            shown += 1
    fs_used = data.get("fs_used")
    if fs_used:
        ds.lines.insert(0, f"재무제표 구분: {'연결' if fs_used == 'consolidated' else '별도'}")


def summarize_filings(ds: Dataset, bundle: DataBundle) -> None:
    filings = [f for f in ds.data or [] if isinstance(f, dict)] if isinstance(ds.data, list) else []
    for filing in filings[:8]:
        ds.lines.append(f"{filing.get('rcept_dt')} {filing.get('report_nm')} (접수번호 {filing.get('rcept_no')})")
    if filings:
        names = ", ".join(f"{f.get('report_nm')}({_date(f.get('rcept_dt'))})" for f in filings[:3])
        ds.sentences.append(f"최근 주요 공시로는 {names} 등이 있습니다 [{ds.n}].")


def _date(value: Any) -> str:
    text = str(value or "")
    return f"{text[:4]}-{text[4:6]}-{text[6:8]}" if len(text) == 8 and text.isdigit() else text[:10]


def summarize_fx(ds: Dataset, bundle: DataBundle) -> None:
    data = ds.data if isinstance(ds.data, dict) else {}
    rate = _f(data.get("rate"))
    if rate is not None:
        ds.lines.append(f"원/달러 환율({data.get('as_of') or ds.source.get('as_of')}): {rate:,.2f}원")
        ds.sentences.append(f"원/달러 환율은 {rate:,.2f}원입니다 [{ds.n}].")


def summarize_quote(ds: Dataset, bundle: DataBundle) -> None:
    data = ds.data if isinstance(ds.data, dict) else {}
    price = _f(data.get("price"))
    if price is not None:
        ds.lines.append(
            f"시세({data.get('as_of') or ds.source.get('as_of')}): {num(price)} {data.get('currency') or ''}"
        )


SUMMARIZERS: dict[str, Callable[[Dataset, DataBundle], None]] = {
    "profile": summarize_profile,
    "price": summarize_price,
    "index": summarize_index,
    "market_cap": summarize_market_cap,
    "fundamentals": summarize_fundamentals,
    "metrics_annual": summarize_metrics,
    "metrics_interim": summarize_metrics,
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
