"""Company words in a prompt and which DART reports should exist by a date (legal filing deadlines)."""

import datetime as dt

import pytest

from finscribe_orchestrator.data.company import candidate_queries
from finscribe_orchestrator.data.gather import latest_reports


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
