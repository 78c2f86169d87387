"""How the summaries word a company profile and a filings list, in both languages: the
fiscal year end by its month's name in English, and a space between a filing's title and
its date (DART titles end with their period, "반기보고서 (2024.06)")."""

import datetime as dt

import pytest

from finscribe_orchestrator.data.bundle import DataBundle
from finscribe_orchestrator.data.summaries import summarize_filings, summarize_profile
from finscribe_testkit.dart.replay import SAMSUNG_H1_2024_FILING, recorded_index, recorded_json

SOURCE = {"provider": "DART", "dataset": "list.json", "url": "https://opendart.fss.or.kr", "as_of": "2024-09-30"}


def samsung_profile() -> dict[str, str]:
    file = recorded_index()[("/api/company.json", (("corp_code", SAMSUNG_H1_2024_FILING["corp_code"]),))]
    return dict(recorded_json(file))


@pytest.mark.parametrize(("language", "says"), [("ko", "결산월 12월"), ("en", "December fiscal year end")])
def test_the_fiscal_year_end_is_named_by_its_month(language: str, says: str) -> None:
    profile = samsung_profile()
    assert profile["acc_mt"] == "12"
    bundle = DataBundle(as_of=dt.date(2024, 9, 30), language=language)
    ds = bundle.add("profile", "profile", profile, SOURCE)
    summarize_profile(ds, bundle)
    written = " ".join(ds.lines + ds.sentences)
    assert says in written, written
    assert "in month" not in written


@pytest.mark.parametrize("language", ["ko", "en"])
def test_a_filing_title_and_its_date_are_apart(language: str) -> None:
    bundle = DataBundle(as_of=dt.date(2024, 9, 30), language=language)
    ds = bundle.add("filings", "filings", [dict(SAMSUNG_H1_2024_FILING)], SOURCE)
    summarize_filings(ds, bundle)
    sentence = ds.sentences[0]
    title = SAMSUNG_H1_2024_FILING["report_nm"]
    date = SAMSUNG_H1_2024_FILING["rcept_dt"]
    assert f"{title} ({date[:4]}-{date[4:6]}-{date[6:]})" in sentence, sentence
    assert ")(" not in sentence
