"""Draft: the standard charts (price vs index, revenue and operating income), rendered off the event loop."""

from typing import Any

from langchain_core.runnables import RunnableConfig

from finscribe_common.threads import run_blocking
from finscribe_orchestrator.charts.catalog import bundle_catalog
from finscribe_orchestrator.charts.render import render_chart
from finscribe_orchestrator.charts.spec import ChartSpec, SeriesData, SeriesSpec
from finscribe_orchestrator.context import get_ctx

RENDER_TIMEOUT_S = 30.0


def default_specs(catalog: dict[str, SeriesData], company: str) -> list[ChartSpec]:
    specs: list[ChartSpec] = []
    if "price.close" in catalog and "index.close" in catalog:
        specs.append(
            ChartSpec(
                type="dual-axis",
                title=f"{company} 주가와 {catalog['index.close'].label}",
                series=[
                    SeriesSpec(ref="price.close", label=f"{company} 종가", axis="left"),
                    SeriesSpec(ref="index.close", label=catalog["index.close"].label, axis="right"),
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
                title=f"{company} 주가",
                series=[SeriesSpec(ref="price.close", label=f"{company} 종가", axis="left")],
                x_ref=None,
                period_start=None,
                period_end=None,
                unit_left="원",
                unit_right=None,
            )
        )
    for key in ("metrics_interim", "metrics_annual"):
        refs = [f"{key}.revenue", f"{key}.operating_income"]
        present = [r for r in refs if r in catalog]
        if present:
            specs.append(
                ChartSpec(
                    type="bar",
                    title=f"{company} 매출액과 영업이익",
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


async def charts(state: dict[str, Any], config: RunnableConfig) -> dict[str, Any]:
    ctx = get_ctx(config)
    rendered: list[dict[str, Any]] = []
    async with ctx.step("charts") as info:
        catalog = bundle_catalog(ctx.bundle)
        name = ctx.bundle.company.name if ctx.bundle.company else ""
        for spec in default_specs(catalog, name):
            chart = await run_blocking(
                render_chart, spec, catalog, ctx.settings.chart_font, timeout=RENDER_TIMEOUT_S, pool="charts"
            )
            rendered.append(chart.as_event())
        info["detail"] = f"차트 {len(rendered)}개"
    return {"charts": rendered}
