"""Company words in a prompt and which DART reports should exist by a date (legal filing deadlines)."""

import datetime as dt

import pytest

from finscribe_orchestrator.data.company import candidate_queries
from finscribe_orchestrator.data.gather import latest_reports
from finscribe_orchestrator.data.reports import filed_reports, report_of
from finscribe_testkit.dart.replay import recorded_filings


def test_candidate_queries_strip_particles_and_put_codes_first() -> None:
    assert candidate_queries("삼성전자의 2024년 실적 분석 보고서를 써줘 005930") == ["005930", "삼성전자", "2024년"]


@pytest.mark.parametrize(
    ("as_of", "annual", "interim"),
    [
        (dt.date(2024, 12, 30), (2023, "annual"), [(2024, "q3"), (2024, "h1")]),
        (dt.date(2024, 9, 30), (2023, "annual"), [(2024, "h1"), (2024, "q1")]),
        (dt.date(2024, 3, 1), (2022, "annual"), [(2023, "q3"), (2023, "h1")]),
    ],
)
def test_latest_reports(as_of: dt.date, annual: tuple[int, str], interim: list[tuple[int, str]]) -> None:
    annuals, interims = latest_reports(as_of)
    assert annuals[0] == annual and interims == interim


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("사업보고서 (2023.12)", (2023, "annual")),
        ("[기재정정]사업보고서 (2024.12)", (2024, "annual")),
        ("분기보고서 (2024.09)", (2024, "q3")),
        ("분기보고서 (2024.03)", (2024, "q1")),
        ("반기보고서 (2024.06)", (2024, "h1")),
        ("반기보고서 (2024.09)", None),  # a half-year report cannot end in September for a December year end
        ("주요사항보고서(자기주식취득결정)", None),
    ],
)
def test_report_names_as_dart_writes_them(name: str, expected: tuple[int, str] | None) -> None:
    assert report_of(name) == expected


def _replayed_filings(corp_code: str) -> list[dict[str, str]]:
    """The replayed list.json items (built from the recorded receipts) as the dart service returns them."""
    out = []
    for filing in recorded_filings():
        if filing["corp_code"] == corp_code:
            date = filing["rcept_dt"]
            out.append({**filing, "rcept_dt": f"{date[:4]}-{date[4:6]}-{date[6:]}"})
    return out


@pytest.mark.parametrize(
    ("corp_code", "as_of", "newest"),
    [
        # KB금융지주: the 2024 Q3 report was filed on 2024-11-14
        ("00688996", dt.date(2024, 11, 20), (2024, "q3", "20241114002984")),
        ("00688996", dt.date(2024, 11, 14), (2024, "q3", "20241114002984")),
        ("00688996", dt.date(2024, 11, 13), (2023, "annual", "20240326000894")),
        # 삼성전자: the 2024 annual report was filed on 2025-03-11, the Q3 report before it
        ("00126380", dt.date(2025, 3, 10), (2024, "q3", "20241114002642")),
        ("00126380", dt.date(2025, 3, 11), (2024, "annual", "20250311001085")),
        # 삼성생명: its recorded Q3 receipt is dated 2024-12-31, so on 2024-11-20 the newest is the 2023 annual
        ("00126256", dt.date(2024, 11, 20), (2023, "annual", "20240612000329")),
    ],
)
def test_the_newest_report_filed_by_a_date(corp_code: str, as_of: dt.date, newest: tuple[int, str, str]) -> None:
    filed = filed_reports(_replayed_filings(corp_code), as_of)
    assert (filed[0].year, filed[0].report, filed[0].rcept_no) == newest
    assert all(f.rcept_dt <= as_of.isoformat() for f in filed)
    assert len({(f.year, f.report) for f in filed}) == len(filed)
