"""The dart service (API.md: corp resolve, filings, financial statements, key metrics)."""

import datetime as dt
from urllib.parse import quote

from finscribe_orchestrator.clients.base import Payload, ServiceClient


class DartClient(ServiceClient):
    async def resolve(self, q: str) -> Payload:
        return await self.get_payload("/v1/corps/resolve", {"q": q})

    async def filings(self, corp_code: str, start: dt.date, end: dt.date, kind: str | None = None) -> Payload:
        params = {"start": start.isoformat(), "end": end.isoformat()}
        if kind:
            params["type"] = kind
        return await self.get_payload(f"/v1/corps/{quote(corp_code, safe='')}/filings", params)

    async def company(self, corp_code: str) -> Payload:
        return await self.get_payload(f"/v1/corps/{quote(corp_code, safe='')}/company")

    async def financials(self, corp_code: str, year: int, report: str, fs: str = "consolidated") -> Payload:
        params = {"year": year, "report": report, "fs": fs}
        return await self.get_payload(f"/v1/corps/{quote(corp_code, safe='')}/financials", params)

    async def key_metrics(self, corp_code: str, year: int, report: str) -> Payload:
        params = {"year": year, "report": report}
        return await self.get_payload(f"/v1/corps/{quote(corp_code, safe='')}/key-metrics", params)
