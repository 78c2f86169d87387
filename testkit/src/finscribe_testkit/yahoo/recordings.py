"""The real recorded Yahoo data (fixtures/real) as per-symbol series of adjusted closes.

- `yahoo_005930.KS_close_2024.csv`: 005930.KS (Samsung Electronics), every KRX trading day
  of 2024 (2024-01-02 .. 2024-12-30).
- `yahoo_us_close_2020_2024.csv`: TSLA, ^IXIC (column "Nasdaq"), RIVN, GOOGL, AMZN, GM, F,
  GOOG, LCID, META, AAPL, NVDA, every NYSE/Nasdaq trading day 2020-01-02 .. 2024-12-31; RIVN
  and LCID are empty before their listings.

Both hold the daily close as yfinance reported it adjusted for splits and dividends; no
open, high, low, raw close or volume was recorded.

The profile of each symbol (currency, exchange codes, time zone, session hours, names) is
not in the recording: it is typed from Yahoo's public quote pages and a real chart v8 meta
block of 005930.KS, and carries no figure.
"""

import csv
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from finscribe_testkit.common.fixtures import fixture_path

KS_FILE = "yahoo_005930.KS_close_2024.csv"
US_FILE = "yahoo_us_close_2020_2024.csv"
_COLUMN_SYMBOL = {"005930": "005930.KS", "Nasdaq": "^IXIC"}


@dataclass(frozen=True)
class Profile:
    currency: str
    exchange_name: str
    full_exchange_name: str
    instrument_type: str
    timezone: str  # IANA name, Yahoo's exchangeTimezoneName
    long_name: str
    short_name: str
    # local session times (Yahoo's currentTradingPeriod; the last trade time is the close)
    pre_start: dt.time
    regular_start: dt.time
    regular_end: dt.time
    post_end: dt.time
    last_trade: dt.time


def _kr(long_name: str, short_name: str) -> Profile:
    # times as in a real 005930.KS chart meta: pre 07:30, regular 09:00-15:00, post until 18:00,
    # regularMarketTime 15:30 (the closing auction)
    return Profile(
        "KRW", "KSC", "KSE", "EQUITY", "Asia/Seoul", long_name, short_name,
        dt.time(7, 30), dt.time(9, 0), dt.time(15, 0), dt.time(18, 0), dt.time(15, 30),
    )  # fmt: skip


def _us(exchange: str, full: str, kind: str, long_name: str, short_name: str | None = None) -> Profile:
    return Profile(
        "USD", exchange, full, kind, "America/New_York", long_name, short_name or long_name,
        dt.time(4, 0), dt.time(9, 30), dt.time(16, 0), dt.time(20, 0), dt.time(16, 0),
    )  # fmt: skip


PROFILES: dict[str, Profile] = {
    "005930.KS": _kr("Samsung Electronics Co., Ltd.", "SamsungElec"),
    "TSLA": _us("NMS", "NasdaqGS", "EQUITY", "Tesla, Inc."),
    "^IXIC": _us("NIM", "Nasdaq GIDS", "INDEX", "NASDAQ Composite"),
    "RIVN": _us("NMS", "NasdaqGS", "EQUITY", "Rivian Automotive, Inc."),
    "GOOGL": _us("NMS", "NasdaqGS", "EQUITY", "Alphabet Inc."),
    "AMZN": _us("NMS", "NasdaqGS", "EQUITY", "Amazon.com, Inc."),
    "GM": _us("NYQ", "NYSE", "EQUITY", "General Motors Company"),
    "F": _us("NYQ", "NYSE", "EQUITY", "Ford Motor Company"),
    "GOOG": _us("NMS", "NasdaqGS", "EQUITY", "Alphabet Inc."),
    "LCID": _us("NMS", "NasdaqGS", "EQUITY", "Lucid Group, Inc."),
    "META": _us("NMS", "NasdaqGS", "EQUITY", "Meta Platforms, Inc."),
    "AAPL": _us("NMS", "NasdaqGS", "EQUITY", "Apple Inc."),
    "NVDA": _us("NMS", "NasdaqGS", "EQUITY", "NVIDIA Corporation"),
}


@dataclass(frozen=True)
class Series:
    symbol: str
    profile: Profile
    rows: tuple[tuple[dt.date, float], ...]  # (trading day, recorded adjusted close), oldest first


def _read(path: Path) -> dict[str, list[tuple[dt.date, float]]]:
    out: dict[str, list[tuple[dt.date, float]]] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        columns = [_COLUMN_SYMBOL.get(name, name) for name in header[1:]]
        for symbol in columns:
            out[symbol] = []
        for record in reader:
            day = dt.date.fromisoformat(record[0])
            for symbol, cell in zip(columns, record[1:], strict=True):
                if cell.strip():
                    out[symbol].append((day, float(cell)))
    return out


@lru_cache(maxsize=1)
def load_recordings() -> dict[str, Series]:
    merged: dict[str, list[tuple[dt.date, float]]] = {}
    for name in (KS_FILE, US_FILE):
        merged.update(_read(fixture_path(name)))
    return {symbol: Series(symbol, PROFILES[symbol], tuple(sorted(rows))) for symbol, rows in merged.items()}


def recorded_closes(symbol: str) -> dict[dt.date, float]:
    """The recorded adjusted closes of one symbol by day (what tests compare against)."""
    return dict(load_recordings()[symbol].rows)
