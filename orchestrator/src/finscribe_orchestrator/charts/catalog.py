"""The chartable series of a run: from the fetched datasets, or from an uploaded CSV's columns."""

import datetime as dt
from typing import Any

from finscribe_orchestrator.charts.csvdata import CsvTable
from finscribe_orchestrator.charts.spec import SeriesData
from finscribe_orchestrator.data.bundle import DataBundle
from finscribe_orchestrator.data.summaries import FLOW_LINES, LINE_LABELS, PERIODS, metric_lines

_DATED_FIELDS = {
    "price": (("close", "종가", "원"), ("volume", "거래량", "주")),
    "index": (("close", "지수", "포인트"),),
    "market_cap": (("market_cap", "시가총액", "조원"),),
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
        for field, label, unit in fields:
            points = []
            for row in dataset.data:
                if not isinstance(row, dict):
                    continue
                x, y = _date(row.get("date")), _number(row.get(field))
                if x is not None and y is not None:
                    points.append((x, y))
            if points:
                name = f"{bundle.company.name} {label}" if bundle.company and key != "index" else dataset.title
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
            points = _metric_points(dataset.data, field)
            if points:
                catalog[f"{key}.{field}"] = SeriesData(
                    ref=f"{key}.{field}",
                    label=LINE_LABELS[field],
                    points=points,
                    source=dataset.source,
                    n=dataset.n,
                    unit="조원",
                    categorical=True,
                )
    return catalog


def _metric_points(data: dict[str, Any], field: str) -> list[tuple[Any, float]]:
    """Oldest first: every annual period of `history` (three years), else the comparative and the current
    period (interim flows: the same months a year earlier; balances: the prior fiscal year end)."""
    history = [h for h in data.get("history") or [] if isinstance(h, dict)]
    annual = [h for h in history if h.get("scope") == "annual"]
    if annual and field in FLOW_LINES | {"total_assets", "total_liabilities", "total_equity"}:
        points = [(f"{h.get('year')}년", v) for h in reversed(annual) if (v := _number(h.get(field))) is not None]
        if points:
            return points
    current = _number(data.get(field))
    if current is None:
        return []
    prior_values = data.get("prior") if isinstance(data.get("prior"), dict) else {}
    prior = _number(prior_values.get(field))
    year, period = data.get("year"), PERIODS.get(str(data.get("report")), "")
    now_label = f"{year}년 {period}".strip() if year else "당기"
    before_label = f"{int(year) - 1}년 {period}".strip() if isinstance(year, int) else "전기"
    if field not in FLOW_LINES and data.get("report") != "annual" and isinstance(year, int):
        before_label = f"{year - 1}년말"
    points: list[tuple[Any, float]] = []
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
                x = table.date(row, x_col)
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
