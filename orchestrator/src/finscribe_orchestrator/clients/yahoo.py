"""The yahoo service (API.md: symbol resolve, quotes, history, FX)."""

import datetime as dt
from urllib.parse import quote

from finscribe_orchestrator.clients.base import Payload, ServiceClient


class YahooClient(ServiceClient):
    async def resolve(self, q: str) -> Payload:
        return await self.get_payload("/v1/symbols/resolve", {"q": q})

    async def quote(self, symbol: str) -> Payload:
        return await self.get_payload(f"/v1/quotes/{quote(symbol, safe='')}")

    async def history(self, symbol: str, start: dt.date, end: dt.date, interval: str = "1d") -> Payload:
        params = {"start": start.isoformat(), "end": end.isoformat(), "interval": interval}
        return await self.get_payload(f"/v1/history/{quote(symbol, safe='')}", params)

    async def fx(self, pair: str) -> Payload:
        return await self.get_payload(f"/v1/fx/{quote(pair, safe='')}")
