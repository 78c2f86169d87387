"""Draft over 2-5 companies (`options.companies`): the peer steps the draft graph's nodes
hand over to (resolve, gather, charts, the figures table). The outline, review and the
sections are the draft's own, over the merged bundle (data/peers.py).

The comparison table has one column per company; every cell cites that company's own
source. A note under it says where the companies' bases differ: the report (no period all
of them had filed), consolidated vs separate statements, a financial company that reports
no 매출액 or 영업이익률.
"""

from typing import Any

from finscribe_common.threads import run_blocking
from finscribe_orchestrator import assembly
from finscribe_orchestrator.charts.peers import PeerChart, metric_bars, price_performance
from finscribe_orchestrator.charts.render import render_chart
from finscribe_orchestrator.context import Scope
from finscribe_orchestrator.data.bundle import DataBundle, Peer
from finscribe_orchestrator.data.gather import gather_pdf
from finscribe_orchestrator.data.peers import Basis, basis_of, gather_peers, merge_peers, resolve_peers, subject
from finscribe_orchestrator.data.summaries import LINE_LABELS, RATIO_LABELS

RENDER_TIMEOUT_S = 30.0
# the datasets whose key figures the table compares, in reading order
TABLE_KEYS = ("market_cap", "fundamentals", "metrics_interim", "metrics_annual", "price")
WORDS: dict[str, dict[str, str]] = {
    "ko": {
        "heading": "비교 지표",
        "item": "항목",
        "report": "기준 보고서",
        "fs_div": "재무제표",
        "CFS": "연결",
        "OFS": "별도",
        "none": "—",
        "same_period": "모든 회사 같은 기간: {label} (각 사의 DART 공시 목록 기준)",
        "period_differs": "공통으로 제출된 정기보고서가 없어 회사마다 최신 보고서를 썼습니다: {list}.",
        "fs_differs": "재무제표 기준이 다릅니다: {list}.",
        "financial": "{names}은(는) 금융회사로 매출액과 영업이익률을 보고하지 않아 해당 칸이 비어 있고, "
        "순이자이익 등 업종 지표와 당기순이익으로 비교합니다.",
        "revenue_title": "매출액과 영업이익 비교",
        "margin_title": "영업이익률 비교",
        "net_title": "당기순이익 비교",
        "price_title": "주가 성과 비교 (공통 시작일 = 100)",
        "price_label": "{company}",
        "omitted": "'{title}' 차트에는 {names}의 데이터가 없어 빼고 그렸습니다.",
        "no_price_chart": "주가 성과 비교 차트는 주가를 가져온 회사가 두 곳 미만이라 그리지 않았습니다 "
        "(주가 없음: {names}).",
    },
    "en": {
        "heading": "Comparison",
        "item": "Item",
        "report": "Report",
        "fs_div": "Statements",
        "CFS": "consolidated",
        "OFS": "separate",
        "none": "—",
        "same_period": "every company over the same period: {label} (each company's DART filings list)",
        "period_differs": "No periodic report was filed by every company; each uses its newest: {list}.",
        "fs_differs": "The statements differ in basis: {list}.",
        "financial": "{names} report(s) no revenue or operating margin (financial companies): those cells are "
        "empty and sector lines such as net interest income and net income are compared instead.",
        "revenue_title": "Revenue and operating income",
        "margin_title": "Operating margin",
        "net_title": "Net income",
        "price_title": "Share price performance (common start = 100)",
        "price_label": "{company}",
        "omitted": "The chart '{title}' leaves out {names}: no such figures.",
        "no_price_chart": "No price performance chart: fewer than two companies have prices (no prices: {names}).",
    },
}


def is_peer_run(ctx: Scope) -> bool:
    return bool(getattr(ctx.options, "companies", None))


def _words(ctx: Scope) -> dict[str, str]:
    return WORDS.get(str(getattr(ctx.options, "language", "ko")), WORDS["ko"])


async def resolve_peer_companies(ctx: Scope) -> dict[str, Any]:
    """Resolve every company (RunFailed stops the run on an unknown, ambiguous or duplicate one)
    into `bundle.peers`; the bundle's company becomes the comparison's subject, returned for the
    state's `company`."""
    names = list(getattr(ctx.options, "companies", None) or [])
    async with ctx.step("resolve", start=0.02, end=0.08) as info:
        companies = await resolve_peers(ctx.clients, names)
        ctx.bundle.company = subject(companies)
        # each company's sources are relabelled in its own bundle (demo mode), then merged as they are
        demo = ctx.bundle.demo_recordings
        ctx.bundle.peers = [
            Peer(company=c, bundle=DataBundle(as_of=ctx.bundle.as_of, company=c, demo_recordings=demo))
            for c in companies
        ]
        info["detail"] = ", ".join(c.label for c in companies)
    return ctx.bundle.company.as_dict()


async def gather_peer_data(ctx: Scope) -> list[str]:
    """Every resolved company's data in parallel, on the run's as-of date and one common
    period, merged into the run's bundle; the session's PDFs once for all. Returns the merged
    dataset keys."""
    request = ctx.request
    async with ctx.step("gather", start=0.1, end=0.3) as info:
        peers = ctx.bundle.peers
        period = await gather_peers(
            ctx.clients, peers, ctx.bundle.as_of, prompt=request.prompt, history_days=ctx.settings.price_history_days
        )
        merge_peers(ctx.bundle, peers)
        if request.rag_collection and request.pdf_ids:
            await gather_pdf(ctx.clients, ctx.bundle, request.rag_collection, request.prompt, request.pdf_ids)
        ctx.bundle.facts.add_text(request.prompt)
        ctx.bundle.report_note = _period_note(ctx, [basis_of(p) for p in peers], period)
        ctx.warn_failed_services()
        info["detail"] = f"{len(peers)}개 회사, 데이터 {len(ctx.bundle.datasets)}건"
    return sorted(ctx.bundle.datasets)


def _period_note(ctx: Scope, bases: list[Basis], period: tuple[int, str] | None) -> str | None:
    """The intro's note: the one report every company's figures come from (when there is one)."""
    label = next((b.period_label for b in bases if period is not None and b.period == period), "")
    if not label:
        return None  # no common period: the table's note lists each company's report
    return _words(ctx)["same_period"].format(label=label)


def basis_notes(ctx: Scope, bases: list[Basis]) -> list[str]:
    """Sentences on where the companies' bases differ (empty when they do not)."""
    words = _words(ctx)
    notes = []
    periods = {b.period for b in bases if b.period is not None}
    if len(periods) > 1:
        notes.append(
            words["period_differs"].format(list=", ".join(f"{b.company.name} {b.period_label}" for b in bases))
        )
    divs = {b.fs_div for b in bases if b.fs_div}
    if len(divs) > 1:
        listed = ", ".join(f"{b.company.name} {words.get(b.fs_div or '', b.fs_div or '')}({b.fs_div})" for b in bases)
        notes.append(words["fs_differs"].format(list=listed))
    financial = [b.company.name for b in bases if b.financial]
    if financial and len(financial) < len(bases):
        notes.append(words["financial"].format(names=", ".join(financial)))
    return notes


def comparison_table(ctx: Scope) -> tuple[list[str], list[list[str]], list[int], list[str]]:
    """(header, rows, cited [n], notes): one column per company, each cell `value [n]` with the
    company's own source, `—` where a company has no such figure."""
    words = _words(ctx)
    peers = ctx.bundle.peers
    bases = [basis_of(p) for p in peers]
    header = [words["item"], *(p.company.name for p in peers)]
    cells: dict[str, dict[str, str]] = {}
    order: list[str] = []
    cited: list[int] = []

    def put(row: str, company: str, text: str, n: int) -> None:
        if row not in cells:
            cells[row] = {}
            order.append(row)
        cells[row][company] = f"{text} [{n}]"
        cited.append(n)

    for peer, basis in zip(peers, bases, strict=True):
        name = peer.company.name
        if basis.dataset_key is not None:
            n = ctx.bundle.datasets[basis.dataset_key].n
            put(words["report"], name, basis.period_label, n)
            if basis.fs_div:
                put(words["fs_div"], name, f"{words.get(basis.fs_div, basis.fs_div)}({basis.fs_div})", n)
        for key in TABLE_KEYS:
            merged = ctx.bundle.get(key + peer.suffix)
            if merged is None or (key == "metrics_annual" and basis.dataset_key != key + peer.suffix):
                continue  # the annual report's figures only when it is the period compared
            for item, value in merged.figures:
                put(item, name, value, merged.n)
    rows = [[item, *(cells[item].get(p.company.name, words["none"]) for p in peers)] for item in order]
    return header, rows, sorted(set(cited)), basis_notes(ctx, bases)


def comparison_blocks(ctx: Scope, blocks: list[dict[str, Any]], parts: list[str]) -> None:
    """The comparison table (and its basis note) into the document's blocks and markdown."""
    header, rows, cited, notes = comparison_table(ctx)
    if not rows:
        return
    heading = _words(ctx)["heading"]
    blocks.append({"type": "heading", "level": 2, "text": heading})
    blocks.append(assembly.table_block(header, rows, heading, cited))
    markdown = f"## {heading}\n\n" + assembly.table_markdown(header, rows)
    for note in notes:
        blocks.append({"type": "paragraph", "text": note, "citations": []})
        markdown += f"\n\n{note}"
    parts.append(markdown)


def _peer_charts(ctx: Scope) -> list[PeerChart]:
    words = _words(ctx)
    peers = ctx.bundle.peers
    numbers = {k: d.n for k, d in ctx.bundle.datasets.items()}
    labels = {**LINE_LABELS, **RATIO_LABELS}
    charts = [
        metric_bars(peers, numbers, ("revenue", "operating_income"), labels, "조원", words["revenue_title"]),
        metric_bars(peers, numbers, ("operating_margin",), labels, "%", words["margin_title"]),
    ]
    if any(basis_of(p).financial for p in peers):
        charts.append(metric_bars(peers, numbers, ("net_income",), labels, "조원", words["net_title"]))
    price = price_performance(peers, numbers, words["price_title"], words["price_label"])
    if price is None:
        missing = [p.company.name for p in peers if p.bundle.get("price") is None]
        ctx.warn("peer_chart_partial", words["no_price_chart"].format(names=", ".join(missing) or "-"))
    charts.append(price)
    return [c for c in charts if c is not None]


async def render_peer_charts(ctx: Scope) -> list[dict[str, Any]]:
    """The comparison charts as chart events (each cites every company's source it draws)."""
    words = _words(ctx)
    rendered = []
    for chart in _peer_charts(ctx):
        picture = await run_blocking(
            render_chart, chart.spec, chart.catalog, ctx.settings.chart_font, timeout=RENDER_TIMEOUT_S, pool="charts"
        )
        picture.citations = chart.citations
        if chart.omitted:
            ctx.warn(
                "peer_chart_partial", words["omitted"].format(title=chart.spec.title, names=", ".join(chart.omitted))
            )
        rendered.append(picture.as_event())
    return rendered
