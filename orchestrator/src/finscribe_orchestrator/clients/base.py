"""Calls to another FinScribe service: JSON in, `(data, source)` out, failures as one exception type.

The orchestrator keeps going when a data service fails, so every failure (error envelope,
transport error, malformed body) becomes a `ServiceCallError` naming the service.
"""

from dataclasses import dataclass
from typing import Any

import httpx

from finscribe_common.envelope import response_error


class ServiceCallError(Exception):
    def __init__(self, service: str, code: str, message: str, status: int | None = None) -> None:
        super().__init__(f"{service}: {code}: {message}")
        self.service = service
        self.code = code
        self.message = message
        self.status = status


@dataclass
class Payload:
    data: Any
    source: dict[str, Any]


def _envelope_error(service: str, response: httpx.Response) -> ServiceCallError:
    error = response_error(response)
    if error is None:
        return ServiceCallError(service, "error", f"HTTP {response.status_code}", response.status_code)
    return ServiceCallError(service, error.code, error.message, response.status_code)


class ServiceClient:
    def __init__(self, name: str, http: httpx.AsyncClient) -> None:
        self.name = name
        self.http = http

    async def request_json(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            response = await self.http.request(method, path, **kwargs)
        except httpx.TimeoutException as exc:
            raise ServiceCallError(self.name, "upstream_timeout", "no answer in time") from exc
        except httpx.HTTPError as exc:
            raise ServiceCallError(self.name, "unavailable", f"unreachable ({type(exc).__name__})") from exc
        if response.status_code >= 400:
            raise _envelope_error(self.name, response)
        try:
            return response.json()
        except ValueError as exc:
            raise ServiceCallError(self.name, "bad_response", "answer is not JSON", response.status_code) from exc

    async def get_payload(self, path: str, params: dict[str, Any] | None = None) -> Payload:
        body = await self.request_json("GET", path, params={k: v for k, v in (params or {}).items() if v is not None})
        if not isinstance(body, dict) or "data" not in body or not isinstance(body.get("source"), dict):
            raise ServiceCallError(self.name, "bad_response", "answer lacks data/source")
        return Payload(data=body["data"], source=body["source"])
