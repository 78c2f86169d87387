"""chart: load series (an uploaded CSV or the company's data) -> chart spec -> render.

The LLM picks from a catalog of series ids; the spec is validated against the catalog
before anything is drawn. Without an LLM a default spec is used (the chart still comes out).
"""

from typing import Any

from langchain_core.messages import HumanMessage
from langgraph.runtime import Runtime

from finscribe_common.numbers.format import table_cell, won_unit
from finscribe_common.schemas import utc_now
from finscribe_common.threads import run_blocking
from finscribe_orchestrator import assembly
from finscribe_orchestrator.charts.catalog import bundle_catalog, csv_catalog
from finscribe_orchestrator.charts.csvdata import CsvError, CsvTable, read_csv
from finscribe_orchestrator.charts.render import render_chart
from finscribe_orchestrator.charts.spec import ChartSpec, ChartSpecError, SeriesData, SeriesSpec, validate_spec
from finscribe_orchestrator.clients.base import ServiceCallError
from finscribe_orchestrator.context import Context, Scope
from finscribe_orchestrator.errors import RunFailed
from finscribe_orchestrator.labels import label
from finscribe_orchestrator.llm.client import LLMError, LLMUnavailable
from finscribe_orchestrator.messages import say
from finscribe_orchestrator.nodes.charts import RENDER_TIMEOUT_S, default_specs
from finscribe_orchestrator.prompts import chart_spec as chart_prompt
from finscribe_orchestrator.schemas import ChartOptions
from finscribe_orchestrator.states import ChartState

UNIT_HINT = {"원": "원", "조원": "조원", "주": "주", "포인트": "포인트", "배": "배"}


async def load_csv(state: ChartState, runtime: Runtime[Context]) -> ChartState:
    ctx = Scope.of(runtime)
    options = ctx.options
    assert isinstance(options, ChartOptions)
    ref = next((f for f in ctx.request.files if f.file_id == options.file_id), None)
    if ref is None or ref.kind != "csv":
        raise RunFailed("bad_request", f"file {options.file_id} is not a CSV of this session")
    async with ctx.step("load_csv", start=0.05, end=0.3) as info:
        try:
            raw = await ctx.clients.files.fetch(ref.url)
            table = read_csv(raw, ctx.settings.max_csv_rows)
        except ServiceCallError as exc:
            raise RunFailed("file_unavailable", ctx.say("failed_csv_fetch", reason=exc.message)) from exc
        except CsvError as exc:
            raise RunFailed("bad_csv", ctx.say("failed_csv_read", reason=exc)) from exc
        source = {
            "provider": "upload",
            "dataset": "csv",
            "url": None,
            "as_of": ctx.bundle.as_of.isoformat(),
            "retrieved_at": utc_now().isoformat(),
            "name": ref.name,
        }
        dataset = ctx.bundle.add("csv", ref.name or label(ctx.language, "ds_csv"), [], source)
        info["detail"] = say("step_csv", rows=len(table.rows), columns=len(table.columns), encoding=table.encoding)
    catalog = csv_catalog(table, source, dataset.n)
    if not catalog:
        raise RunFailed("bad_csv", ctx.say("failed_csv_no_numbers"))
    warn_unparsed(ctx, table)
    for series in catalog.values():
        for _, y in series.points:
            ctx.bundle.facts.add_number(y, source="csv")
    return {
        "profile": table.profile_text(),
        "columns": [p.as_dict() for p in table.profiles.values()],
        "catalog": catalog,
        **ctx.recorded(),
    }


def warn_unparsed(ctx: Scope, table: CsvTable, shown: int = 10) -> None:
    """A numeric column's cells that are not numbers are left out of the chart: say which, by row and text."""
    for column, cells in table.unparsed():
        listed = ", ".join(ctx.say("csv_cell", row=row, text=text[:30]) for row, text in cells[:shown])
        more = ctx.say("csv_more", count=len(cells) - shown) if len(cells) > shown else ""
        ctx.warn(
            "csv_unparsed_cells",
            count=len(cells),
            listed=listed,
            more=more,
            column=column,
            rows=[row for row, _ in cells],
            cells=[text for _, text in cells],
        )


async def company_series(state: ChartState, runtime: Runtime[Context]) -> ChartState:
    catalog = bundle_catalog(runtime.context.bundle)
    if not catalog:
        raise RunFailed("no_data", Scope.of(runtime).say("failed_chart_no_data"))
    return {"profile": "", "catalog": catalog}


def _describe(catalog: dict[str, SeriesData]) -> dict[str, str]:
    described = {}
    for ref, series in catalog.items():
        first, last = series.points[0][0], series.points[-1][0]
        span = f"{first} ~ {last}" if not series.categorical else ", ".join(str(p[0]) for p in series.points[:6])
        described[ref] = f"{series.label} ({series.unit or '단위 없음'}; {len(series.points)}개; {span})"
    return described


def csv_axis_unit(series: SeriesData) -> str:
    """The axis unit for a CSV column: KRW amounts (header units applied) in 조원/억원/원, else the column's own."""
    if series.unit == "원":
        return won_unit(max((abs(y) for _, y in series.points), default=0.0))
    return series.unit if series.unit in ("%", "배", "주") else ""


def fallback_spec(ctx: Scope, catalog: dict[str, SeriesData]) -> ChartSpec:
    if any(ref.startswith("csv.") for ref in catalog):
        refs = list(catalog)[:2]
        categorical = catalog[refs[0]].categorical
        unit = csv_axis_unit(catalog[refs[0]])
        return ChartSpec(
            type="bar" if categorical else "line",
            title=ctx.request.prompt[:60] or label(ctx.language, "uploaded_data"),
            series=[SeriesSpec(ref=r, label=catalog[r].label, axis="left") for r in refs],
            x_ref=None,
            period_start=None,
            period_end=None,
            unit_left=unit,  # type: ignore[arg-type]
            unit_right=None,
        )
    specs = default_specs(catalog, ctx.bundle.company.name if ctx.bundle.company else "", ctx.language)
    if specs:
        return specs[0]
    ref = next(iter(catalog))
    return ChartSpec(
        type="line",
        title=catalog[ref].label,
        series=[SeriesSpec(ref=ref, label=catalog[ref].label, axis="left")],
        x_ref=None,
        period_start=None,
        period_end=None,
        unit_left=UNIT_HINT.get(catalog[ref].unit, ""),  # type: ignore[arg-type]
        unit_right=None,
    )


async def spec(state: ChartState, runtime: Runtime[Context]) -> ChartState:
    ctx = Scope.of(runtime)
    catalog = state["catalog"]
    chosen: ChartSpec | None = None
    async with ctx.step("chart_spec", start=0.35, end=0.6) as info:
        if ctx.llm_available:
            messages = chart_prompt.build(
                prompt=ctx.request.prompt,
                catalog=_describe(catalog),
                profile=state.get("profile", ""),
                language=ctx.language,
            )
            for _attempt in range(2):
                try:
                    parsed = await ctx.llm.structured("chart_spec", messages, ChartSpec)
                except LLMUnavailable as exc:
                    ctx.llm_down(str(exc))
                    break
                except LLMError as exc:
                    ctx.warn("chart_spec_fallback", key="chart_spec_error", error=str(exc))
                    break
                if parsed is None:
                    break
                try:
                    chosen = validate_spec(parsed, catalog)
                    break
                except ChartSpecError as exc:
                    messages = [*messages, HumanMessage(content=f"차트 사양이 잘못되었습니다: {exc}. 다시 답하세요.")]
        if chosen is None:
            if ctx.llm_available:
                found = "; ".join(ctx.llm.last_structured_problems.get("chart_spec", []))[:300]
                ctx.warn("chart_spec_fallback", found=f" ({found})" if found else "", step="chart_spec")
            chosen = validate_spec(fallback_spec(ctx, catalog), catalog)
            info["detail"] = say("step_default_chart")
        else:
            info["detail"] = say("step_chart", title=chosen.title)
    return {"spec": chosen.model_dump(), **ctx.recorded()}


TABLE_ROWS = 60


def spread_rows(rows: list[Any], limit: int = TABLE_ROWS) -> list[Any]:
    """At most `limit` rows spread evenly over the whole range, first and last included, so the
    table under a chart covers the period the chart shows (the first 60 rows of a year of daily
    closes ended in March)."""
    if len(rows) <= limit:
        return list(rows)
    last = len(rows) - 1
    return [rows[round(i * last / (limit - 1))] for i in range(limit)]


async def render(state: ChartState, runtime: Runtime[Context]) -> ChartState:
    ctx = Scope.of(runtime)
    chosen = ChartSpec.model_validate(state["spec"])
    catalog = state["catalog"]
    async with ctx.step("render", start=0.65, end=0.95):
        x_series = catalog.get(chosen.x_ref) if chosen.x_ref else None
        chart = await run_blocking(
            render_chart,
            chosen,
            catalog,
            ctx.settings.chart_font,
            x_series,
            ctx.language,
            timeout=RENDER_TIMEOUT_S,
            pool="charts",
        )
    event = chart.as_event()
    language = ctx.language
    block, line = assembly.chart_block(0, event, language)
    header = chart.table["columns"]
    rows = [
        [table_cell(c) if isinstance(c, int | float) else str(c or "") for c in row]
        for row in spread_rows(chart.table["rows"])
    ]
    table = assembly.table_block(header, rows, label(language, "chart_data", title=chart.title), chart.citations)
    source_blocks, source_md = assembly.sources_section(ctx.bundle.sources.as_list(), language)
    markdown = "\n\n".join([f"# {chart.title}", line, assembly.table_markdown(header, rows), source_md])
    return {
        "result": assembly.result(
            title=chart.title,
            blocks=[{"type": "heading", "level": 1, "text": chart.title}, block, table, *source_blocks],
            markdown=markdown + "\n",
            citations=ctx.bundle.sources.as_list(),
            charts=[event],
        ),
        **ctx.recorded(),
    }
