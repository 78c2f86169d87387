"""Response payloads of the yahoo service (every one travels inside `DataResponse` with its `source`)."""

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Interval = Literal["1d", "1wk", "1mo"]
SymbolKind = Literal["equity", "index", "fx", "etf", "fund", "other"]


class SymbolMatch(BaseModel):
    symbol: str = Field(description="the Yahoo symbol to use with /v1/quotes and /v1/history")
    name: str | None = Field(default=None, description="the name Yahoo (or the listing table) gives it")
    exchange: str | None = Field(default=None, description="Yahoo's exchange code, e.g. KSC (KOSPI), KOE (KOSDAQ)")
    kind: SymbolKind = "equity"
    market: Literal["KOSPI", "KOSDAQ"] | None = Field(default=None, description="for KRX listings")
    how: Literal["listing_table", "chart_probe", "symbol_rule", "alias", "search"] = Field(
        description="how the match was found"
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "symbol": "005930.KS",
                    "name": "Samsung Electronics Co., Ltd.",
                    "exchange": "KSC",
                    "kind": "equity",
                    "market": "KOSPI",
                    "how": "listing_table",
                }
            ]
        }
    )


class Quote(BaseModel):
    symbol: str
    name: str | None = None
    exchange: str | None = None
    price: float = Field(description="the last price Yahoo reports (regularMarketPrice)")
    currency: str | None = None
    previous_close: float | None = Field(default=None, description="close of the trading day before `as_of`")
    change_pct: float | None = Field(default=None, description="price vs previous_close, in percent")
    market_cap: int | None = Field(default=None, description="not fetched: it needs a second Yahoo call")
    as_of: dt.date = Field(description="the trading day of `price`, in the exchange's time zone")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "symbol": "005930.KS",
                    "name": "Samsung Electronics Co., Ltd.",
                    "exchange": "KSE",
                    "price": 53200.0,
                    "currency": "KRW",
                    "previous_close": 53700.0,
                    "change_pct": -0.9311,
                    "market_cap": None,
                    "as_of": "2024-12-30",
                }
            ]
        }
    )


class Bar(BaseModel):
    date: dt.date
    open: float | None = None
    high: float | None = None
    low: float | None = None
    close: float | None = Field(default=None, description="as traded; null when Yahoo sent none")
    adj_close: float | None = Field(default=None, description="adjusted for splits and dividends")
    volume: int | None = None

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "date": "2024-12-30",
                    "open": None,
                    "high": None,
                    "low": None,
                    "close": None,
                    "adj_close": 53200.0,
                    "volume": None,
                }
            ]
        }
    )


class FxRate(BaseModel):
    pair: str = Field(description="BASEQUOTE, e.g. USDKRW")
    base: str
    quote: str
    symbol: str = Field(description="the Yahoo symbol read, e.g. KRW=X")
    rate: float = Field(description="units of `quote` per one unit of `base`")
    as_of: dt.date

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "pair": "USDKRW",
                    "base": "USD",
                    "quote": "KRW",
                    "symbol": "KRW=X",
                    "rate": 1234.5,
                    "as_of": "2024-12-30",
                }
            ]
        }
    )
