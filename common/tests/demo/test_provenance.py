"""Demo sources relabelled as what they are, with their recording date (finscribe_common.demo.provenance)."""

import pytest

from finscribe_common.demo.provenance import UNKNOWN_RECORDING, Recording, decode, encode, relabel

OHLCV = "KRX [12003] 개별종목 시세 추이 (bld dbms/MDC/STAT/standard/MDCSTAT01701) via pykrx get_market_ohlcv_by_date"
YAHOO_AS_KRX = Recording(
    "KRX", OHLCV, "2025년 초", first="2024-01-02", last="2024-12-30", shown_as="Yahoo Finance", note="수정 종가"
)
REAL_KRX = Recording("KRX", OHLCV, recorded="2021-01", first="2021-01-04", last="2021-01-15", note="KRX 원자료")
PROFILE = Recording("DART", "company.json", recorded="2026-02-17", dated_by_recording=True)
MAIN = Recording("DART", "fnlttSinglAcnt", recorded="2026-02-17")
ALL = (YAHOO_AS_KRX, REAL_KRX, PROFILE, MAIN)


def source(provider: str, dataset: str, as_of: str) -> dict[str, str]:
    return {"provider": provider, "dataset": dataset, "url": "https://example.test/x", "as_of": as_of}


def test_a_yahoo_series_served_as_krx_is_cited_as_yahoo_with_its_recording_date():
    title, out = relabel(ALL, "삼성전자 일별 주가", source("KRX", OHLCV, "2024-09-30"))
    assert out["provider"] == "Yahoo Finance" and out["as_of"] == "2024-09-30"  # the day the data describes
    assert title == "삼성전자 일별 주가 (수정 종가, 기록 2025년 초)"


def test_the_same_dataset_outside_the_span_is_the_real_krx_recording():
    title, out = relabel(ALL, "삼성전자 일별 주가", source("KRX", OHLCV, "2021-01-15"))
    assert out["provider"] == "KRX" and title.endswith("(KRX 원자료, 기록 2021-01)")


def test_a_source_dated_by_its_fetch_is_dated_by_the_recording():
    title, out = relabel(ALL, "삼성전자 기업개황", source("DART", "company.json", "2031-05-05"))
    assert out["as_of"] == "2026-02-17" and title == "삼성전자 기업개황 (기록 2026-02-17)"


def test_a_dataset_matches_whole_or_before_a_space_only():
    metrics = source("DART", "fnlttSinglAcnt (key metrics computed by FinScribe)", "2025-03-11")
    assert relabel(ALL, "t", metrics)[0] == "t (기록 2026-02-17)"
    # fnlttSinglAcntAll is another recording: not taken for fnlttSinglAcnt's
    assert relabel(ALL, "t", source("DART", "fnlttSinglAcntAll", "2024-08-14"))[0] == f"t ({UNKNOWN_RECORDING})"


def test_a_source_no_recording_describes_is_still_marked_and_the_input_is_not_changed():
    given = source("Yahoo Finance", "chart v8", "2024-12-30")
    title, out = relabel(ALL, "환율", given)
    assert title == f"환율 ({UNKNOWN_RECORDING})" and out == given and out is not given


def test_encode_decode_round_trip_and_a_bad_value_is_refused():
    assert decode(encode(ALL)) == ALL
    assert decode(None) == () and decode("") == ()
    for bad in ("not json", '[{"provider": "KRX"}]', '{"a": 1}'):
        with pytest.raises(ValueError, match="FINSCRIBE_DEMO_RECORDINGS"):
            decode(bad)


def test_an_english_document_cites_the_recording_in_english():
    english = Recording(
        "KRX",
        OHLCV,
        "2025년 초",
        "2024-01-02",
        "2024-12-30",
        "Yahoo Finance",
        "수정 종가",
        False,
        "adjusted close",
        "early 2025",
    )
    title, _ = relabel((english,), "Samsung daily share price", source("KRX", OHLCV, "2024-09-30"), "en")
    assert title == "Samsung daily share price (adjusted close, recorded early 2025)"
    # a date needs no English form; a note without one is left out rather than shown in Korean
    assert relabel(ALL, "t", source("DART", "company.json", "2031-05-05"), "en")[0] == "t (recorded 2026-02-17)"
    assert relabel(ALL, "t", source("KRX", OHLCV, "2021-01-15"), "en")[0] == "t (recorded 2021-01)"
    assert relabel(ALL, "t", source("Yahoo Finance", "chart v8", "2024-12-30"), "en")[0] == "t (demo recording)"
