"""The chartable series of a run: from the fetched datasets, or from an uploaded CSV's columns."""

import datetime as dt
from typing import Any

from finscribe_orchestrator.charts.csvdata import CsvTable
from finscribe_orchestrator.charts.spec import SeriesData
from finscribe_orchestrator.data.bundle import DataBundle
from finscribe_orchestrator.data.summaries import METRIC_LABELS, PERIODS

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
        for field, label in METRIC_LABELS.items():
            current = _number(dataset.data.get(field))
            prior_values = dataset.data.get("prior") if isinstance(dataset.data.get("prior"), dict) else {}
            prior = _number(prior_values.get(field))
            if current is None:
                continue
            points: list[tuple[Any, float]] = []
            year, period = dataset.data.get("year"), PERIODS.get(str(dataset.data.get("report")), "")
            now_label = f"{year}년 {period}".strip() if year else "당기"
            before_label = f"{int(year) - 1}년 {period}".strip() if isinstance(year, int) else "전기"
            if prior is not None:
                points.append((before_label, prior))
            points.append((now_label, current))
            catalog[f"{key}.{field}"] = SeriesData(
                ref=f"{key}.{field}",
                label=label,
                points=points,
                source=dataset.source,
                n=dataset.n,
                unit="조원",
                categorical=True,
            )
    return catalog


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
