"""CSV reading: UTF-8 and CP949, profiling of dates/numbers/text, limits, and no evaluation of cells."""

import datetime as dt

import pytest

from finscribe_orchestrator.charts.csvdata import CsvError, parse_date, parse_number, read_csv

CSV = '일자,종가,비고\n2024-01-02,"77,917",보통주\n2024-01-03,"75,372",보통주\n'


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp949"])
def test_decodes_and_profiles(encoding: str) -> None:
    table = read_csv(CSV.encode(encoding), max_rows=10)
    assert table.columns == ["일자", "종가", "비고"]
    assert [table.profiles[c].type for c in table.columns] == ["date", "number", "text"]
    assert table.profiles["종가"].min == 75372 and table.profiles["일자"].max == dt.date(2024, 1, 3)
    assert table.encoding == ("cp949" if encoding == "cp949" else "utf-8")
    assert "열 '종가': number" in table.profile_text()


def test_semicolon_csv_and_numbers_in_korean_formats() -> None:
    table = read_csv("기간;매출(%)\n2024.01;(1.5)\n2024.02;2.5%\n".encode(), max_rows=10)
    assert table.numeric_columns() == ["매출(%)"] and table.date_column() == "기간"
    assert parse_number("(1,234)") == -1234 and parse_number("12.5%") == 12.5 and parse_number("1e3") is None
    assert parse_date("20240102") == dt.date(2024, 1, 2) and parse_date("2024") is None


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "empty"),
        (b"a,a\n1,2\n", "duplicate"),
        (b"a,b\n", "no data rows"),
        ("가,나\n1,2\n".encode("utf-16"), "neither UTF-8 nor CP949"),
    ],
)
def test_bad_csvs_are_refused_with_a_reason(raw: bytes, message: str) -> None:
    with pytest.raises(CsvError, match=message):
        read_csv(raw, max_rows=10)


def test_row_limit() -> None:
    with pytest.raises(CsvError, match="more than 2 rows"):
        read_csv(b"a\n1\n2\n3\n", max_rows=2)


def test_formula_and_code_cells_stay_text(tmp_path) -> None:
    marker = tmp_path / "ran"
    raw = f"a,b\n=1+1,__import__('os').system('touch {marker}')\n".encode()
    table = read_csv(raw, max_rows=10)
    assert table.rows[0]["a"] == "=1+1" and table.profiles["b"].type == "text"
    assert not marker.exists()


def test_korean_signs_header_units_and_unreadable_cells() -> None:
    raw = (
        "연도,영업이익(억원),등락률,비고\n"
        '2021,"△38.4",▲1.5%,적자\n'
        '2022,"1,234",▼0.5%,\n'
        "2023,(12.5),▲3%,\n"
        "2024,-,▼1%,\n"
        "2025,집계중,▲2%,\n"
    ).encode()
    table = read_csv(raw, max_rows=10)
    assert table.numeric_columns() == ["연도", "영업이익(억원)", "등락률"]
    profile = table.profiles["영업이익(억원)"]
    assert profile.unit == "원" and profile.min == -3_840_000_000 and profile.max == 123_400_000_000
    assert [table.number(r, "영업이익(억원)") for r in table.rows] == [
        -3_840_000_000,
        123_400_000_000,
        -1_250_000_000,
        None,
        None,
    ]
    assert [table.number(r, "등락률") for r in table.rows] == [1.5, -0.5, 3.0, -1.0, 2.0]
    assert table.profiles["등락률"].unit == "%"
    # '-' is a nil marker (no value, no warning); '집계중' in a numeric column is reported with its row
    assert table.unparsed() == [("영업이익(억원)", [(6, "집계중")])]
    assert profile.as_dict()["unparsed"] == [{"row": 6, "text": "집계중"}]


def test_the_axis_unit_of_a_csv_amount_column_follows_its_size() -> None:
    from finscribe_orchestrator.charts.catalog import csv_catalog
    from finscribe_orchestrator.nodes.chart import csv_axis_unit

    raw = '분기,매출액(억원),영업이익률(%)\n1Q24,"719,156",9.1\n2Q24,"740,683","14.1"\n'.encode()
    catalog = csv_catalog(read_csv(raw, max_rows=10), {"provider": "upload"}, 1)
    # 719,156억원 is 71.9조원: drawn in 조원, not in raw won
    assert csv_axis_unit(catalog["csv.매출액(억원)"]) == "조원"
    assert csv_axis_unit(catalog["csv.영업이익률(%)"]) == "%"
