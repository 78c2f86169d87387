"""The krx replay for demo mode (`finscribe up --demo`): the same server the full-stack tests use.

What it holds is asked of the replay itself through KRX's protocol (`replay.data`): every
listed ticker of the finder list is queried for its whole recorded price series, and the
KOSPI/KOSDAQ indices for theirs, so the demo banner lists exactly what a request can get.
"""

import datetime as dt
import json

from finscribe_common.demo.provenance import Recording
from finscribe_common.demo.replays import DemoReplay, Holding
from finscribe_krx import datasets
from finscribe_testkit.krx.payloads import SAMSUNG, yahoo_closes_2024
from finscribe_testkit.krx.replay import INDEX_BLD, LISTED_BLD, REPLAY_ID, REPLAY_PW, STOCK_BLD, data
from finscribe_testkit.krx.server import fake_upstream_app

HOST = "data.krx.co.kr"
_ALL_DAYS = {"strtDd": "19000101", "endDd": "29991231"}
_INDICES = {"1001": "코스피", "2001": "코스닥"}


_GAP = dt.timedelta(days=10)  # longer than any KRX holiday break: a longer gap starts a new span


def _spans(fields: dict[str, str]) -> list[tuple[dt.date, dt.date]]:
    """The recorded days of one series as (first, last) spans of consecutive trading days."""
    status, _, body = data(fields)
    if status != 200:
        return []
    rows = json.loads(body).get("output") or []
    days = sorted(dt.datetime.strptime(row["TRD_DD"], "%Y/%m/%d").date() for row in rows if row.get("TRD_DD"))
    spans: list[tuple[dt.date, dt.date]] = []
    for day in days:
        if spans and day - spans[-1][1] <= _GAP:
            spans[-1] = (spans[-1][0], day)
        else:
            spans.append((day, day))
    return spans


def recorded_holdings() -> tuple[Holding, ...]:
    """Stocks and indices the replay has daily rows for, one holding per span of recorded days;
    a span made of Yahoo Finance's adjusted closes is listed as that, not as KRX's."""
    holdings = []
    _, _, body = data({"bld": LISTED_BLD, "mktsel": "ALL"})
    yahoo_days = [day for day, _ in yahoo_closes_2024()]
    for row in json.loads(body)["block1"]:
        for first, last in _spans({"bld": STOCK_BLD, "isuCd": row["full_code"], **_ALL_DAYS}):
            if row["short_code"] == SAMSUNG and min(yahoo_days) <= first and last <= max(yahoo_days):
                # what it is, not the protocol it is served in (payloads.py)
                source, what = "Yahoo Finance", "수정 종가 (KRX 시세로 재생)"
            else:
                source, what = "KRX", "일별 시세"
            holdings.append(Holding(source, "prices", row["short_code"], row["codeName"], what, first, last))
    for code, name in _INDICES.items():
        for first, last in _spans({"bld": INDEX_BLD, "indIdx": code[0], "indIdx2": code[1:], **_ALL_DAYS}):
            holdings.append(Holding("KRX", "index", code, name, "지수 일별 시세", first, last))
    return tuple(holdings)


# fixtures/real/PROVENANCE.md: the Yahoo files were recorded and published early in 2025
YAHOO_RECORDED = "2025년 초"
YAHOO_RECORDED_EN = "early 2025"
PYKRX_RECORDED = "pykrx 소스 코드의 예시 (2021-01)"
PYKRX_RECORDED_EN = "examples in pykrx's source code (2021-01)"


def recordings() -> tuple[Recording, ...]:
    """What the replay's KRX-shaped answers really are (payloads.py): the 2024 Samsung closes
    are Yahoo Finance's adjusted closes of 005930.KS, and the market cap is those closes times
    KRX's listed share count; the 2021 rows are real KRX rows as printed in pykrx's source."""
    days = [day for day, _ in yahoo_closes_2024()]
    first, last = min(days).isoformat(), max(days).isoformat()

    def yahoo(dataset: datasets.Dataset, note: str, note_en: str) -> Recording:
        return Recording(
            "KRX",
            dataset.name,
            YAHOO_RECORDED,
            first,
            last,
            shown_as="Yahoo Finance",
            note=note,
            note_en=note_en,
            recorded_en=YAHOO_RECORDED_EN,
        )

    def pykrx(dataset: datasets.Dataset) -> Recording:
        return Recording(
            "KRX",
            dataset.name,
            PYKRX_RECORDED,
            "2021-01-04",
            "2021-01-15",
            note="KRX 원자료",
            note_en="KRX raw data",
            recorded_en=PYKRX_RECORDED_EN,
        )

    return (
        yahoo(
            datasets.STOCK_OHLCV,
            "005930.KS 수정 종가, KRX 형식으로 재생",
            "005930.KS adjusted close, replayed in KRX's format",
        ),
        yahoo(
            datasets.MARKET_CAP,
            "005930.KS 수정 종가 × KRX 상장주식수 5,969,782,550주",
            "005930.KS adjusted close × KRX listed shares 5,969,782,550",
        ),
        *(pykrx(d) for d in (datasets.STOCK_OHLCV, datasets.MARKET_CAP, datasets.FUNDAMENTALS, datasets.INDEX_OHLCV)),
        Recording(
            "KRX",
            datasets.TICKERS.name,
            "pykrx 소스 코드와 DART 회사 목록 (2025-02)",
            recorded_en="pykrx's source code and the DART corp list (2025-02)",
        ),
    )


def demo_replay() -> DemoReplay:
    def environment(base_url: str) -> dict[str, str]:
        # the replay's own login (pykrx logs in before every data call since KRX closed anonymous access)
        return {
            "FINSCRIBE_UPSTREAM_OVERRIDES": f"{HOST}={base_url}",
            "KRX_ID": REPLAY_ID,
            "KRX_PW": REPLAY_PW,
            "KRX_MIN_INTERVAL_S": "0",
        }

    return DemoReplay("krx", fake_upstream_app(), environment, recorded_holdings(), recordings())
