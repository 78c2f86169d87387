"""The chart spec the LLM fills in (structured output) and the series it may refer to.

The LLM never supplies data or code: it only picks series ids from the catalog of what
the run fetched, a chart type, a period, a title and units. Everything else is ours.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, Field

ChartType = Literal["line", "bar", "area", "scatter", "dual-axis"]
Unit = Literal["원", "조원", "억원", "%", "배", "포인트", "주", "달러", ""]
UNIT_SCALE: dict[str, float] = {"조원": 1e12, "억원": 1e8}


class SeriesSpec(BaseModel):
    ref: str = Field(description="id of a series from the catalog, e.g. 'price.close'")
    label: str = Field(description="legend label, in the language the prompt asks for")
    axis: Literal["left", "right"] = Field(description="right only for the second axis of a dual-axis chart")


class ChartSpec(BaseModel):
    type: ChartType
    title: str = Field(max_length=120)
    series: list[SeriesSpec] = Field(min_length=1, max_length=4)
    x_ref: str | None = Field(description="x series id for scatter charts, else null")
    period_start: str | None = Field(description="YYYY-MM-DD or null for the whole range")
    period_end: str | None = Field(description="YYYY-MM-DD or null for the whole range")
    unit_left: Unit
    unit_right: Unit | None


@dataclass
class SeriesData:
    """A series the run can chart: points (x, y) where x is a date or a category label."""

    ref: str
    label: str
    points: list[tuple[Any, float]]
    source: dict[str, Any]
    n: int | None = None
    unit: str = ""
    categorical: bool = False
    meta: dict[str, Any] = field(default_factory=dict)


class ChartSpecError(ValueError):
    pass


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError as exc:
        raise ChartSpecError(f"period date {value!r} is not YYYY-MM-DD") from exc


def validate_spec(spec: ChartSpec, catalog: dict[str, SeriesData]) -> ChartSpec:
    """Refuse any reference outside the catalog and any shape the renderer cannot draw honestly."""
    for series in spec.series:
        if series.ref not in catalog:
            raise ChartSpecError(f"unknown series {series.ref!r}; known: {', '.join(sorted(catalog))}")
    if spec.type == "scatter" and (not spec.x_ref or spec.x_ref not in catalog):
        raise ChartSpecError("a scatter chart needs x_ref from the catalog")
    if spec.type == "dual-axis":
        axes = {s.axis for s in spec.series}
        if axes != {"left", "right"}:
            raise ChartSpecError("a dual-axis chart needs series on both axes")
    start, end = _date(spec.period_start), _date(spec.period_end)
    if start and end and end < start:
        raise ChartSpecError("period_end is before period_start")
    categorical = {catalog[s.ref].categorical for s in spec.series}
    if len(categorical) > 1:
        raise ChartSpecError("cannot mix dated and categorical series in one chart")
    return spec


def period_filter(points: list[tuple[Any, float]], start: str | None, end: str | None) -> list[tuple[Any, float]]:
    lo, hi = _date(start), _date(end)
    kept = []
    for x, y in points:
        if isinstance(x, dt.date) and ((lo and x < lo) or (hi and x > hi)):
            continue
        kept.append((x, y))
    return kept
