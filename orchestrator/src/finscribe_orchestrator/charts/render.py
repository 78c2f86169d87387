"""Draw a validated chart spec with matplotlib (Agg, object API: safe off the main thread).

Axis units read the way Korean reports write them (조원, 억원, %, 원); the PNG travels as
base64 with the data table and the source of every series.
"""

import base64
import datetime as dt
import io
from dataclasses import dataclass, replace
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from finscribe_common.numbers.format import in_unit
from finscribe_orchestrator.charts.fonts import korean_font
from finscribe_orchestrator.charts.spec import UNIT_SCALE, ChartSpec, SeriesData, period_filter
from finscribe_orchestrator.labels import label
from finscribe_orchestrator.labels import unit as unit_label

COLORS = ("#1f4e79", "#c0504d", "#9bbb59", "#8064a2", "#f79646")  # five: a peer comparison's companies


@dataclass
class RenderedChart:
    png: bytes
    title: str
    alt: str
    source: dict[str, Any]
    table: dict[str, Any]
    citations: list[int]

    def as_event(self) -> dict[str, Any]:
        return {
            "png_base64": base64.b64encode(self.png).decode(),
            "title": self.title,
            "alt": self.alt,
            "source": self.source,
            "table": self.table,
            "citations": self.citations,
        }


def _formatter(unit: str) -> FuncFormatter:
    return FuncFormatter(lambda value, _pos: in_unit(value, unit))


def _scaled(points: list[tuple[Any, float]], unit: str) -> list[tuple[Any, float]]:
    scale = UNIT_SCALE.get(unit, 1.0)
    return [(x, y / scale) for x, y in points]


def _alt(spec: ChartSpec, drawn: list[tuple[SeriesData, list[tuple[Any, float]], str]], language: str) -> str:
    parts = []
    for series, points, code in drawn:
        if not points:
            continue
        first, last = points[0], points[-1]
        unit = unit_label(language, code)
        unit = f" {unit}" if unit and language == "en" and unit not in ("%", "x") else unit
        parts.append(f"{series.label}: {_x(first[0])} {first[1]:,.2f}{unit} → {_x(last[0])} {last[1]:,.2f}{unit}")
    return f"{spec.title}. " + "; ".join(parts)


def _x(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def render_chart(
    spec: ChartSpec,
    catalog: dict[str, SeriesData],
    font: str | None = None,
    x_series: SeriesData | None = None,
    language: str = "ko",
) -> RenderedChart:
    """The PNG, alt text and data table of `spec`; axis units, legends and the table's columns
    in `language` (the spec's unit codes are Korean: 조원 is shown as 'KRW trillion' in English)."""
    family = korean_font(font)
    fig = Figure(figsize=(8, 4.5), dpi=110)
    FigureCanvasAgg(fig)
    ax_left = fig.add_subplot(1, 1, 1)
    ax_right = ax_left.twinx() if spec.type == "dual-axis" or any(s.axis == "right" for s in spec.series) else None
    text_kw: dict[str, Any] = {"fontfamily": family} if family else {}
    drawn: list[tuple[SeriesData, list[tuple[Any, float]], str]] = []
    categorical = catalog[spec.series[0].ref].categorical
    bar_count = sum(1 for _ in spec.series) if spec.type == "bar" else 1
    for index, item in enumerate(spec.series):
        data = catalog[item.ref]
        unit = (spec.unit_right if item.axis == "right" else spec.unit_left) or ""
        points = _scaled(period_filter(data.points, spec.period_start, spec.period_end), unit)
        ax = ax_right if (item.axis == "right" and ax_right is not None) else ax_left
        color = COLORS[index % len(COLORS)]
        shown = unit_label(language, unit)
        legend_label = f"{item.label} ({shown})" if shown else item.label
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        if spec.type == "scatter" and x_series is not None:
            x_by_key = dict(x_series.points)
            pairs = [(x_by_key[x], y) for x, y in data.points if x in x_by_key]
            ax.scatter([p[0] for p in pairs], [p[1] for p in pairs], color=color, label=legend_label, s=12)
            points = pairs
        elif spec.type == "bar":
            width = 0.8 / bar_count
            positions = [i + (index - (bar_count - 1) / 2) * width for i in range(len(xs))]
            if categorical or len(xs) <= 40:
                ax.bar(positions, ys, width=width, color=color, label=legend_label)
                ax.set_xticks(range(len(xs)), [_x(x) for x in xs], **text_kw)
            else:
                ax.bar(xs, ys, color=color, label=legend_label)
        elif spec.type == "area":
            ax.fill_between(xs, ys, alpha=0.35, color=color, label=legend_label)
            ax.plot(xs, ys, color=color, linewidth=1.2)
        else:
            ax.plot(xs, ys, color=color, label=legend_label, linewidth=1.6)
        ax.yaxis.set_major_formatter(_formatter(unit))
        drawn.append((replace(data, label=item.label), points, unit))  # the legend label names the column
    ax_left.set_title(spec.title, **text_kw)
    if spec.unit_left:
        ax_left.set_ylabel(unit_label(language, spec.unit_left), **text_kw)
    if ax_right is not None and spec.unit_right:
        ax_right.set_ylabel(unit_label(language, spec.unit_right), **text_kw)
    handles, labels = ax_left.get_legend_handles_labels()
    if ax_right is not None:
        more_h, more_l = ax_right.get_legend_handles_labels()
        handles, labels = handles + more_h, labels + more_l
    legend = ax_left.legend(handles, labels, loc="best", fontsize=8)
    if family:
        for text in legend.get_texts():
            text.set_fontfamily(family)
    ax_left.grid(alpha=0.3)
    fig.autofmt_xdate() if not categorical and spec.type != "scatter" else None
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    sources = [catalog[s.ref] for s in spec.series]
    table = _table(drawn, language, dated=not categorical and spec.type != "scatter")
    citations = sorted({s.n for s in sources if s.n is not None})
    return RenderedChart(
        png=buffer.getvalue(),
        title=spec.title,
        alt=_alt(spec, drawn, language),
        source=dict(sources[0].source),
        table=table,
        citations=citations,
    )


def _table(
    drawn: list[tuple[SeriesData, list[tuple[Any, float]], str]], language: str, dated: bool, max_rows: int = 400
) -> dict[str, Any]:
    """The plotted numbers as a table (the x column, then one column per series), in the displayed units."""
    first = label(language, "date" if dated else "category")
    columns = [first] + [f"{s.label} ({unit_label(language, u)})" if u else s.label for s, _, u in drawn]
    keys: list[Any] = []
    values: dict[Any, list[float | None]] = {}
    for col, (_, points, _) in enumerate(drawn):
        for x, y in points:
            if x not in values:
                keys.append(x)
                values[x] = [None] * len(drawn)
            values[x][col] = round(y, 4)
    rows = [[_x(k), *values[k]] for k in keys]
    if len(rows) > max_rows:
        step = len(rows) / max_rows
        rows = [rows[int(i * step)] for i in range(max_rows)] + [rows[-1]]
    return {"columns": columns, "rows": rows}
