"""The chartable series of a run: from the fetched datasets, or from an uploaded CSV's columns."""

import datetime as dt
from typing import Any

from finscribe_orchestrator.charts.csvdata import CsvTable
from finscribe_orchestrator.charts.spec import SeriesData
from finscribe_orchestrator.data.bundle import DataBundle
from finscribe_orchestrator.data.summaries import FLOW_LINES, line_label, metric_lines
from finscribe_orchestrator.labels import label, period_name

# (field, label key, unit code): the unit codes are the chart spec's (labels.unit shows them)
_DATED_FIELDS = {
    "price": (("close", "close", "원"), ("volume", "volume", "주")),
    "index": (("close", "index_level", "포인트"),),
    "market_cap": (("market_cap", "market_cap", "조원"),),
    "fundamentals": (("per", "PER", "배"), ("pbr", "PBR", "배")),
}


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def bundle_catalog(bundle: DataBundle) -> dict[str, SeriesData]:
    catalog: dict[str, SeriesData] = {}
    for key, fields in _DATED_FIELDS.items():
        dataset = bundle.get(key)
        if dataset is None or not isinstance(dataset.data, list):
            continue
        for field, key_of_label, unit in fields:
            what = label(bundle.language, key_of_label) if key_of_label.islower() else key_of_label
            points = []
            for row in dataset.data:
                if not isinstance(row, dict):
                    continue
                x, y = _date(row.get("date")), _number(row.get(field))
                if x is not None and y is not None:
                    points.append((x, y))
            if points:
                name = (
                    label(bundle.language, "series_of", company=bundle.company.name, what=what)
                    if bundle.company and key != "index"
                    else dataset.title
                )
                catalog[f"{key}.{field}"] = SeriesData(
                    ref=f"{key}.{field}",
                    label=name if key != "index" else dataset.title,
                    points=sorted(points),
                    source=dataset.source,
                    n=dataset.n,
                    unit=unit,
                )
    for key in ("metrics_interim", "metrics_annual"):
        dataset = bundle.get(key)
        if dataset is None or not isinstance(dataset.data, dict):
            continue
        for field in metric_lines(dataset.data):
            points = _metric_points(dataset.data, field, bundle.language)
            if points:
                catalog[f"{key}.{field}"] = SeriesData(
                    ref=f"{key}.{field}",
                    label=line_label(bundle.language, field),
                    points=points,
                    source=dataset.source,
                    n=dataset.n,
                    unit="조원",
                    categorical=True,
                )
    return catalog


def _metric_points(data: dict[str, Any], field: str, lang: str = "ko") -> list[tuple[Any, float]]:
    """Oldest first: every annual period of `history` (three years), else the comparative and the current
    period (interim flows: the same months a year earlier; balances: the prior fiscal year end)."""
    history = [h for h in data.get("history") or [] if isinstance(h, dict)]
    annual = [h for h in history if h.get("scope") == "annual"]
    if annual and field in FLOW_LINES | {"total_assets", "total_liabilities", "total_equity"}:
        points: list[tuple[Any, float]] = [
            (label(lang, "fy", year=h.get("year")), v)
            for h in reversed(annual)
            if (v := _number(h.get(field))) is not None
        ]
        if points:
            return points
    current = _number(data.get(field))
    if current is None:
        return []
    prior_values = got if isinstance(got := data.get("prior"), dict) else {}
    prior = _number(prior_values.get(field))
    year, report = data.get("year"), str(data.get("report"))
    now_label = period_name(lang, year, report) if year else label(lang, "current_period")
    before_label = period_name(lang, year - 1, report) if isinstance(year, int) else label(lang, "prior_period")
    if field not in FLOW_LINES and report != "annual" and isinstance(year, int):
        before_label = label(lang, "fy_end", year=year - 1)
    points = []
    if prior is not None:
        points.append((before_label, prior))
    points.append((now_label, current))
    return points


def csv_catalog(table: CsvTable, source: dict[str, Any], n: int | None) -> dict[str, SeriesData]:
    """One series per numeric column against the first date column (or the row label column)."""
    catalog: dict[str, SeriesData] = {}
    x_col = table.date_column()
    label_col = None if x_col else table.label_column()
    for column in table.numeric_columns():
        points: list[tuple[Any, float]] = []
        for row in table.rows:
            y = table.number(row, column)
            if y is None:
                continue
            if x_col:
                x: dt.date | str | None = table.date(row, x_col)
                if x is None:
                    continue
            elif label_col:
                x = str(row.get(label_col, ""))
            else:
                x = str(len(points) + 1)
            points.append((x, y))
        if points:
            catalog[f"csv.{column}"] = SeriesData(
                ref=f"csv.{column}",
                label=column,
                points=sorted(points) if x_col else points,
                source=source,
                n=n,
                unit=table.profiles[column].unit,
                categorical=not x_col,
            )
    return catalog
