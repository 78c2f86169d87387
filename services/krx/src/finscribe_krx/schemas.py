"""Response shapes of the krx service (the `data` part of each DataResponse)."""

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

Market = Literal["KOSPI", "KOSDAQ", "KONEX"]
Freq = Literal["d", "m", "y"]


class TickerMatch(BaseModel):
    ticker: str = Field(description="KRX short code", examples=["005930"])
    name: str = Field(description="KRX short name (종목 약명)", examples=["삼성전자"])
    market: Market
    score: float = Field(ge=0, le=1, description="1 = exact code or name; fuzzy matches score lower")
    isin: str = Field(examples=["KR7005930003"])
    matched: Literal["code", "name", "alias", "prefix", "contains", "fuzzy"] = Field(
        description="how the query matched"
    )


class OhlcvRow(BaseModel):
    date: dt.date = Field(description="trading day (for m/y: the last trading day of the period)")
    open: int
    high: int
    low: int
    close: int
    volume: int = Field(description="shares traded")
    value: int | None = Field(default=None, description="traded value in KRW (거래대금)")
    change_pct: float | None = Field(default=None, description="close-to-close change in percent (등락률)")


class MarketCapRow(BaseModel):
    date: dt.date
    market_cap: int = Field(description="market capitalisation in KRW (시가총액)")
    shares: int = Field(description="listed shares (상장주식수)")
    volume: int | None = None
    value: int | None = None


class FundamentalRow(BaseModel):
    date: dt.date
    bps: int | None = Field(description="book value per share, KRW; null where KRX shows '-'")
    per: float | None = Field(description="price/earnings; null where KRX shows '-' (e.g. a loss)")
    pbr: float | None = Field(description="price/book; null where KRX shows '-'")
    eps: int | None = Field(description="earnings per share, KRW; null where KRX shows '-'")
    div: float = Field(description="dividend yield in percent (배당수익률)")
    dps: int = Field(description="dividend per share, KRW")


class IndexRow(BaseModel):
    date: dt.date
    open: float
    high: float
    low: float
    close: float
    volume: int
    value: int | None = Field(default=None, description="traded value in KRW")
    market_cap: int | None = Field(default=None, description="listed market cap of the index constituents, KRW")
    change_pct: float | None = None
