"""Payload shapes every data service shares: the provenance of a figure and the data envelope."""

import datetime as dt
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")

Provider = Literal["KRX", "DART", "Yahoo Finance", "upload"]


class Source(BaseModel):
    provider: Provider
    dataset: str = Field(description="what was read, e.g. 'pykrx get_market_ohlcv' or 'fnlttSinglAcntAll'")
    url: str | None = Field(default=None, description="the upstream page or filing a reader can open")
    as_of: dt.date = Field(description="the date the data describes (last trading day, report date)")
    retrieved_at: dt.datetime = Field(description="when FinScribe fetched it (UTC)")


class DataResponse(BaseModel, Generic[T]):
    data: T
    source: Source


def utc_now(*, microseconds: bool = False) -> dt.datetime:
    """Now, timezone-aware UTC. Whole seconds by default (the `retrieved_at` of sources);
    `microseconds=True` for stored timestamps that order events within one second."""
    now = dt.datetime.now(dt.UTC)
    return now if microseconds else now.replace(microsecond=0)
