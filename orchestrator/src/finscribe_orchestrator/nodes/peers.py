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
from finscribe_orchestrator.data.bundle import DataBundle, Peer, found_items
from finscribe_orchestrator.data.gather import gather_pdf
from finscribe_orchestrator.data.peer_compare import add_comparison_facts, comparison_sentences
from finscribe_orchestrator.data.peers import Basis, basis_of, gather_peers, merge_peers, resolve_peers, subject
from finscribe_orchestrator.data.summaries import line_label
from finscribe_orchestrator.labels import LABELS, label
from finscribe_orchestrator.messages import say

RENDER_TIMEOUT_S = 30.0
# the datasets the comparing sentences cover: a section on them compares, not lists each company's
COMPARED_KEYS = frozenset({"market_cap", "metrics_interim", "metrics_annual"})
# the datasets whose key figures the table compares, in reading order
TABLE_KEYS = ("market_cap", "fundamentals", "metrics_interim", "metrics_annual", "price")


def is_peer_run(ctx: Scope) -> bool:
    return bool(getattr(ctx.options, "companies", None))


async def resolve_peer_companies(ctx: Scope) -> dict[str, Any]:
    """Resolve every company (RunFailed stops the run on an unknown, ambiguous or duplicate one)
    into `bundle.peers`; the bundle's company becomes the comparison's subject, returned for the
    state's `company`."""
    names = list(getattr(ctx.options, "companies", None) or [])
    async with ctx.step("resolve", start=0.02, end=0.08) as info:
        companies = await resolve_peers(ctx.clients, names, ctx.language)
        ctx.bundle.company = subject(companies)
        # each company's sources are relabelled in its own bundle (demo mode), then merged as they are
        demo = ctx.bundle.demo_recordings
        ctx.bundle.peers = [
            Peer(
                company=c,
                bundle=DataBundle(
                    as_of=ctx.bundle.as_of, company=c, demo_recordings=demo, language=ctx.bundle.language
                ),
            )
            for c in companies
        ]
        info["detail"] = say("step_peers", companies=", ".join(c.label for c in companies))
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
        add_comparison_facts(ctx.bundle)
        ctx.bundle.report_note = _period_note(ctx, [basis_of(p) for p in peers], period)
        ctx.warn_failed_services()
        info["detail"] = say("step_peer_data", companies=len(peers), count=len(ctx.bundle.datasets))
        info["items"] = found_items(ctx.bundle)
    return sorted(ctx.bundle.datasets)


def _period_note(ctx: Scope, bases: list[Basis], period: tuple[int, str] | None) -> str | None:
    """The intro's note: the one report every company's figures come from (when there is one)."""
    language = ctx.language
    report = next((b.period_name(language) for b in bases if period is not None and b.period == period), "")
    if not report:
        return None  # no common period: the table's note lists each company's report
    return label(language, "peer_same_period", report=report)


def basis_notes(ctx: Scope, bases: list[Basis]) -> list[str]:
    """Sentences on where the companies' bases differ (empty when they do not)."""
    language = ctx.language
    sep = label(language, "list_sep")
    notes = []
    periods = {b.period for b in bases if b.period is not None}
    if len(periods) > 1:
        listed = sep.join(f"{b.company.name} {b.period_name(language)}" for b in bases)
        notes.append(label(language, "peer_period_differs", list=listed))
    divs = {b.fs_div for b in bases if b.fs_div}
    if len(divs) > 1:
        listed = sep.join(f"{b.company.name} {_fs_div(language, b.fs_div)}" for b in bases if b.fs_div)
        notes.append(label(language, "peer_fs_differs", list=listed))
    financial = [b.company.name for b in bases if b.financial]
    if financial and len(financial) < len(bases):
        notes.append(label(language, "peer_financial", names=sep.join(financial)))
    return notes


def peer_comparison_text(ctx: Scope, wanted: list[str]) -> str:
    """The data-only writer's comparison for a section that asked for `wanted` data: the basis
    the figures share (or where it differs), then the comparing sentences; '' for a section
    whose data are not compared (prices)."""
    sentences = comparison_sentences(ctx.bundle, wanted)
    if not sentences:
        return ""
    bases = [basis_of(p) for p in ctx.bundle.peers]
    notes = basis_notes(ctx, bases)
    if not notes:
        known = [b for b in bases if b.period is not None]
        if known:
            report, fs_div = known[0].period_name(ctx.language), known[0].fs_div
            if fs_div:
                notes = [label(ctx.language, "cmp_basis", report=report, fs=_fs_div(ctx.language, fs_div))]
            else:
                notes = [label(ctx.language, "cmp_basis_report", report=report)]
    return " ".join([*notes, *sentences])


def _fs_div(language: str, fs_div: str) -> str:
    """'연결(CFS)' / 'consolidated (CFS)': DART's code kept beside the word, as filed."""
    key = f"peer_fs_{fs_div}"
    word = label(language, key) if key in LABELS["ko"] else fs_div
    return f"{word}({fs_div})" if language == "ko" else f"{word} ({fs_div})"


def comparison_table(ctx: Scope) -> tuple[list[str], list[list[str]], list[int], list[str]]:
    """(header, rows, cited [n], notes): one column per company, each cell `value [n]` with the
    company's own source, `—` where a company has no such figure."""
    language = ctx.language
    peers = ctx.bundle.peers
    bases = [basis_of(p) for p in peers]
    header = [label(language, "item"), *(p.company.name for p in peers)]
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
            put(label(language, "peer_report"), name, basis.period_name(language), n)
            if basis.fs_div:
                put(label(language, "peer_fs_div"), name, _fs_div(language, basis.fs_div), n)
        for key in TABLE_KEYS:
            merged = ctx.bundle.get(key + peer.suffix)
            if merged is None or (key == "metrics_annual" and basis.dataset_key != key + peer.suffix):
                continue  # the annual report's figures only when it is the period compared
            for item, value in merged.figures:
                put(item, name, value, merged.n)
    none = label(language, "peer_none")
    rows = [[item, *(cells[item].get(p.company.name, none) for p in peers)] for item in order]
    return header, rows, sorted(set(cited)), basis_notes(ctx, bases)


def comparison_blocks(ctx: Scope, blocks: list[dict[str, Any]], parts: list[str]) -> None:
    """The comparison table (and its basis note) into the document's blocks and markdown."""
    header, rows, cited, notes = comparison_table(ctx)
    if not rows:
        return
    heading = label(ctx.language, "peer_heading")
    blocks.append({"type": "heading", "level": 2, "text": heading})
    blocks.append(assembly.table_block(header, rows, heading, cited))
    markdown = f"## {heading}\n\n" + assembly.table_markdown(header, rows)
    for note in notes:
        blocks.append({"type": "paragraph", "text": note, "citations": []})
        markdown += f"\n\n{note}"
    parts.append(markdown)


def _peer_charts(ctx: Scope) -> list[PeerChart]:
    language = ctx.language
    peers = ctx.bundle.peers
    numbers = {k: d.n for k, d in ctx.bundle.datasets.items()}
    names = {f: line_label(language, f) for f in ("revenue", "operating_income", "operating_margin", "net_income")}
    charts = [
        metric_bars(
            peers, numbers, ("revenue", "operating_income"), names, "조원", label(language, "peer_revenue_chart")
        ),
        metric_bars(peers, numbers, ("operating_margin",), names, "%", label(language, "peer_margin_chart")),
    ]
    if any(basis_of(p).financial for p in peers):
        charts.append(metric_bars(peers, numbers, ("net_income",), names, "조원", label(language, "peer_net_chart")))
    price = price_performance(peers, numbers, label(language, "peer_price_chart"))
    if price is None:
        missing = [p.company.name for p in peers if p.bundle.get("price") is None]
        sep = label(language, "list_sep")
        ctx.warn("peer_chart_partial", key="peer_chart_no_prices", names=sep.join(missing) or "-")
    charts.append(price)
    return [c for c in charts if c is not None]


async def render_peer_charts(ctx: Scope) -> list[dict[str, Any]]:
    """The comparison charts as chart events (each cites every company's source it draws)."""
    language = ctx.language
    rendered = []
    for chart in _peer_charts(ctx):
        picture = await run_blocking(
            render_chart,
            chart.spec,
            chart.catalog,
            ctx.settings.chart_font,
            None,
            language,
            timeout=RENDER_TIMEOUT_S,
            pool="charts",
        )
        picture.citations = chart.citations
        if chart.omitted:
            names = label(language, "list_sep").join(chart.omitted)
            ctx.warn("peer_chart_partial", title=chart.spec.title, names=names)
        rendered.append(picture.as_event())
    return rendered
