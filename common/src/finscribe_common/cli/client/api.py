"""A small client for the gateway's public API (API.md), used by the CLI."""

import getpass
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from finscribe_common.envelope import response_error
from finscribe_common.sse import SseEvent, iter_sse


@dataclass
class GatewayError(Exception):
    status: int
    code: str
    message: str
    request_id: str | None = None
    retry_after: str | None = None

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


def default_token() -> str:
    return os.environ.get("FINSCRIBE_TOKEN") or f"dev:{getpass.getuser()}@example.com"


def error_from(response: httpx.Response) -> GatewayError:
    retry_after = response.headers.get("retry-after")
    error = response_error(response)
    if error is None:
        message = response.text[:200] or response.reason_phrase
        return GatewayError(response.status_code, f"http_{response.status_code}", message, None, retry_after)
    return GatewayError(response.status_code, error.code, error.message, error.request_id, retry_after)


class GatewayClient:
    def __init__(
        self, base_url: str, token: str, *, timeout: float = 30.0, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            headers={"Authorization": f"Bearer {token}"},
            timeout=httpx.Timeout(timeout, read=None),
            transport=transport,
        )

    async def __aenter__(self) -> "GatewayClient":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._http.aclose()

    async def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            response = await self._http.request(method, path, **kwargs)
        except httpx.ConnectError as exc:
            raise GatewayError(0, "unreachable", f"no gateway at {self._http.base_url} ({exc})") from exc
        if response.status_code >= 400:
            raise error_from(response)
        return response.json() if response.content else None

    async def _object(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        """A call the gateway answers with a JSON object (API.md): sessions, runs, files."""
        body: dict[str, Any] = await self._json(method, path, **kwargs)
        return body

    async def request_json(self, method: str, path: str, **kwargs: Any) -> Any:
        """Any JSON route of the gateway; raises GatewayError on an error envelope."""
        return await self._json(method, path, **kwargs)

    async def session(self, doc_id: str, title: str | None = None) -> dict[str, Any]:
        return await self._object("POST", "/v1/sessions", json={"doc_id": doc_id, "title": title or doc_id})

    async def runs(self, session_id: str) -> Any:
        return await self._json("GET", f"/v1/sessions/{session_id}/runs")

    async def run(self, run_id: str) -> dict[str, Any]:
        return await self._object("GET", f"/v1/runs/{run_id}")

    async def upload(self, session_id: str, path: Path) -> dict[str, Any]:
        media = "application/pdf" if path.suffix.lower() == ".pdf" else "text/csv"
        with path.open("rb") as handle:
            files = {"file": (path.name, handle, media)}
            return await self._object("POST", f"/v1/sessions/{session_id}/files", files=files)

    def stream_run(self, session_id: str, body: dict[str, Any]) -> AsyncIterator[SseEvent]:
        return self._stream_post(f"/v1/sessions/{session_id}/runs", body)

    def resume_run(self, run_id: str, body: dict[str, Any]) -> AsyncIterator[SseEvent]:
        """`POST /v1/runs/{run_id}/resume` with `{outline?}`: the continued run's events."""
        return self._stream_post(f"/v1/runs/{run_id}/resume", body)

    async def _stream_post(self, path: str, body: dict[str, Any]) -> AsyncIterator[SseEvent]:
        try:
            async with self._http.stream("POST", path, json=body, headers={"Accept": "text/event-stream"}) as response:
                if response.status_code >= 400:
                    await response.aread()
                    raise error_from(response)
                async for event in iter_sse(response):
                    yield event
        except httpx.ConnectError as exc:
            raise GatewayError(0, "unreachable", f"no gateway at {self._http.base_url} ({exc})") from exc

    async def download(self, url: str) -> bytes:
        response = await self._http.get(url)
        if response.status_code >= 400:
            raise error_from(response)
        return response.content
