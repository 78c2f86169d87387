"""Draft: the standard charts (price vs index, revenue and operating income), rendered off the event loop."""

from typing import Any

from langgraph.runtime import Runtime

from finscribe_common.threads import run_blocking
from finscribe_orchestrator.charts.catalog import bundle_catalog
from finscribe_orchestrator.charts.render import render_chart
from finscribe_orchestrator.charts.spec import ChartSpec, SeriesData, SeriesSpec
from finscribe_orchestrator.context import Context, Scope
from finscribe_orchestrator.labels import label
from finscribe_orchestrator.messages import say
from finscribe_orchestrator.nodes.peers import is_peer_run, render_peer_charts
from finscribe_orchestrator.states import DraftState

RENDER_TIMEOUT_S = 30.0
# which two lines the performance chart shows, first pair the company reports wins
PERFORMANCE_PAIRS = [
    ("revenue", "operating_income"),
    ("net_interest_income", "net_income"),
    ("insurance_result", "net_income"),
    ("operating_revenue", "net_income"),
    ("operating_income", "net_income"),
]


def default_specs(catalog: dict[str, SeriesData], company: str, language: str = "ko") -> list[ChartSpec]:
    """The draft's standard charts, titled and labelled in `language`."""
    specs: list[ChartSpec] = []
    index_label = catalog["index.close"].label if "index.close" in catalog else ""
    if "price.close" in catalog and "index.close" in catalog:
        specs.append(
            ChartSpec(
                type="dual-axis",
                title=label(language, "chart_price_index", company=company, index=index_label),
                series=[
                    SeriesSpec(ref="price.close", label=label(language, "series_close", company=company), axis="left"),
                    SeriesSpec(ref="index.close", label=index_label, axis="right"),
                ],
                x_ref=None,
                period_start=None,
                period_end=None,
                unit_left="원",
                unit_right="포인트",
            )
        )
    elif "price.close" in catalog:
        specs.append(
            ChartSpec(
                type="line",
                title=label(language, "chart_price", company=company),
                series=[
                    SeriesSpec(ref="price.close", label=label(language, "series_close", company=company), axis="left")
                ],
                x_ref=None,
                period_start=None,
                period_end=None,
                unit_left="원",
                unit_right=None,
            )
        )
    # the yearly trend (annual history) first; a financial company's own lines instead of 매출액
    for key in ("metrics_annual", "metrics_interim"):
        pair = next(
            (p for p in PERFORMANCE_PAIRS if f"{key}.{p[0]}" in catalog and f"{key}.{p[1]}" in catalog),
            next((p for p in PERFORMANCE_PAIRS if f"{key}.{p[0]}" in catalog), None),
        )
        if pair is None:
            continue
        present = [f"{key}.{field}" for field in pair if f"{key}.{field}" in catalog]
        if present:
            names = [catalog[r].label for r in present]
            title = (
                label(language, "chart_pair", company=company, first=names[0], second=names[1])
                if len(names) == 2
                else label(language, "chart_one", company=company, first=names[0])
            )
            specs.append(
                ChartSpec(
                    type="bar",
                    title=title,
                    series=[SeriesSpec(ref=r, label=catalog[r].label, axis="left") for r in present],
                    x_ref=None,
                    period_start=None,
                    period_end=None,
                    unit_left="조원",
                    unit_right=None,
                )
            )
            break
    return specs


async def charts(state: DraftState, runtime: Runtime[Context]) -> DraftState:
    ctx = Scope.of(runtime)
    rendered: list[dict[str, Any]] = []
    async with ctx.step("charts") as info:
        if is_peer_run(ctx):  # a peer comparison's charts compare the companies
            rendered = await render_peer_charts(ctx)
        else:
            catalog = bundle_catalog(ctx.bundle)
            name = ctx.bundle.company.name if ctx.bundle.company else ""
            language = ctx.language
            for spec in default_specs(catalog, name, language):
                chart = await run_blocking(
                    render_chart,
                    spec,
                    catalog,
                    ctx.settings.chart_font,
                    None,
                    language,
                    timeout=RENDER_TIMEOUT_S,
                    pool="charts",
                )
                rendered.append(chart.as_event())
        info["detail"] = say("step_charts", count=len(rendered))
    return {"charts": rendered, **ctx.recorded()}
