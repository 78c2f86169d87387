"""Chart spec validation and rendering (matplotlib Agg, Korean font, units)."""

import csv
import datetime as dt
import io

import pytest
from matplotlib import image

from finscribe_orchestrator.charts.fonts import korean_font
from finscribe_orchestrator.charts.render import render_chart
from finscribe_orchestrator.charts.spec import ChartSpec, ChartSpecError, SeriesData, SeriesSpec, validate_spec
from finscribe_testkit.common.fixtures import fixture_path

SOURCE = {"provider": "DART", "dataset": "key-metrics", "as_of": "2024-08-14"}


def _real_h1_2024() -> dict[str, tuple[float, float]]:
    """(prior, current) half-year figures of Samsung Electronics from the real fnlttSinglAcntAll fixture."""
    with fixture_path("dart_fnlttSinglAcntAll_00126380_2024_11012_CFS.csv").open(encoding="utf-8") as handle:
        rows = {r["account_id"]: r for r in csv.DictReader(handle) if r["sj_div"] == "IS"}
    return {
        key: (float(rows[key]["frmtrm_add_amount"]), float(rows[key]["thstrm_add_amount"]))
        for key in ("ifrs-full_Revenue", "dart_OperatingIncomeLoss")
    }


def _real_closes(symbol: str, path: str) -> list[tuple[dt.date, float]]:
    with fixture_path(path).open(encoding="utf-8") as handle:
        rows = {r["Date"]: r for r in csv.DictReader(handle)}
    return [(dt.date.fromisoformat(day), float(rows[day][symbol])) for day in ("2024-01-02", "2024-12-30")]


def catalog() -> dict[str, SeriesData]:
    figures = _real_h1_2024()
    revenue, operating = figures["ifrs-full_Revenue"], figures["dart_OperatingIncomeLoss"]
    periods = ("2023년 상반기", "2024년 상반기")
    closes = _real_closes("005930", "yahoo_005930.KS_close_2024.csv")
    return {
        "m.revenue": SeriesData(
            "m.revenue", "매출액", list(zip(periods, revenue, strict=True)), SOURCE, 3, "조원", True
        ),
        "m.op": SeriesData("m.op", "영업이익", list(zip(periods, operating, strict=True)), SOURCE, 3, "조원", True),
        "p.close": SeriesData("p.close", "종가", closes, SOURCE, 1, "원"),
    }


def spec(**changes) -> ChartSpec:
    values = {
        "type": "bar",
        "title": "매출액과 영업이익",
        "series": [
            SeriesSpec(ref="m.revenue", label="매출액", axis="left"),
            SeriesSpec(ref="m.op", label="영업이익", axis="left"),
        ],
        "x_ref": None,
        "period_start": None,
        "period_end": None,
        "unit_left": "조원",
        "unit_right": None,
    }
    values.update(changes)
    return ChartSpec(**values)


def test_korean_font_is_found() -> None:
    assert korean_font() is not None  # fonts-nanum is installed on this machine and in the image


def test_bar_chart_in_trillions_with_table_and_citation() -> None:
    chart = render_chart(validate_spec(spec(), catalog()), catalog())
    assert chart.png.startswith(b"\x89PNG")
    pixels = image.imread(io.BytesIO(chart.png))
    assert pixels.shape[0] > 300 and pixels.shape[1] > 600
    assert chart.table["columns"] == ["구분", "매출액 (조원)", "영업이익 (조원)"]
    # 145,983,903,000,000 and 17,049,887,000,000 KRW shown in 조원
    assert chart.table["rows"][1] == ["2024년 상반기", pytest.approx(145.983903), pytest.approx(17.049887)]
    assert chart.citations == [3] and "매출액" in chart.alt


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"series": [SeriesSpec(ref="os.system", label="x", axis="left")]}, "unknown series"),
        ({"type": "scatter"}, "x_ref"),
        ({"type": "dual-axis"}, "both axes"),
        ({"period_start": "2024-12-01", "period_end": "2024-01-01"}, "before"),
        ({"period_start": "yesterday"}, "YYYY-MM-DD"),
        (
            {
                "series": [
                    SeriesSpec(ref="m.revenue", label="a", axis="left"),
                    SeriesSpec(ref="p.close", label="b", axis="left"),
                ]
            },
            "mix",
        ),
    ],
)
def test_invalid_specs_are_refused(changes: dict, message: str) -> None:
    with pytest.raises(ChartSpecError, match=message):
        validate_spec(spec(**changes), catalog())


def test_dual_axis_line_with_period_filter() -> None:
    cat = catalog()
    nasdaq = _real_closes("Nasdaq", "yahoo_us_close_2020_2024.csv")
    cat["i.close"] = SeriesData("i.close", "나스닥", nasdaq, SOURCE, 2, "포인트")
    chosen = spec(
        type="dual-axis",
        series=[
            SeriesSpec(ref="p.close", label="종가", axis="left"),
            SeriesSpec(ref="i.close", label="나스닥", axis="right"),
        ],
        unit_left="원",
        unit_right="포인트",
        period_start="2024-06-01",
    )
    chart = render_chart(validate_spec(chosen, cat), cat)
    assert [row[0] for row in chart.table["rows"]] == ["2024-12-30"]
    assert chart.citations == [1, 2]
