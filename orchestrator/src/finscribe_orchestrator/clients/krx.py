"""The krx service (API.md: tickers, stock OHLCV, market cap, fundamentals, indices)."""

import datetime as dt
from urllib.parse import quote

from finscribe_orchestrator.clients.base import Payload, ServiceClient


class KrxClient(ServiceClient):
    async def resolve(self, q: str) -> Payload:
        return await self.get_payload("/v1/tickers/resolve", {"q": q})

    async def ohlcv(self, ticker: str, start: dt.date, end: dt.date, freq: str = "d") -> Payload:
        params = {"start": start.isoformat(), "end": end.isoformat(), "freq": freq}
        return await self.get_payload(f"/v1/stocks/{quote(ticker, safe='')}/ohlcv", params)

    async def market_cap(self, ticker: str, start: dt.date, end: dt.date) -> Payload:
        params = {"start": start.isoformat(), "end": end.isoformat()}
        return await self.get_payload(f"/v1/stocks/{quote(ticker, safe='')}/market-cap", params)

    async def fundamentals(self, ticker: str, start: dt.date, end: dt.date) -> Payload:
        params = {"start": start.isoformat(), "end": end.isoformat()}
        return await self.get_payload(f"/v1/stocks/{quote(ticker, safe='')}/fundamentals", params)

    async def index_ohlcv(self, code: str, start: dt.date, end: dt.date) -> Payload:
        params = {"start": start.isoformat(), "end": end.isoformat()}
        return await self.get_payload(f"/v1/indices/{quote(code, safe='')}/ohlcv", params)
