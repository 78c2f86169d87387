"""Uploaded files, read from the gateway's internal file route with the internal token.

Only URLs on the configured gateway under `/internal/v1/files/` are fetched: the URL
arrives in the request body, and the orchestrator must never be a proxy to anywhere else.
"""

from urllib.parse import urlsplit

import httpx

from finscribe_orchestrator.clients.base import ServiceCallError


class FilesClient:
    def __init__(self, http: httpx.AsyncClient, gateway_url: str, max_bytes: int) -> None:
        self.http = http
        self.gateway = urlsplit(gateway_url)
        self.max_bytes = max_bytes

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        return (
            parts.scheme == self.gateway.scheme
            and parts.netloc == self.gateway.netloc
            and parts.path.startswith("/internal/v1/files/")
            and ".." not in parts.path
        )

    async def fetch(self, url: str) -> bytes:
        if not self.allowed(url):
            raise ServiceCallError("gateway", "bad_request", "file URL is not on the gateway's internal file route")
        try:
            async with self.http.stream("GET", url) as response:
                if response.status_code >= 400:
                    raise ServiceCallError("gateway", "file_unavailable", f"HTTP {response.status_code}")
                chunks: list[bytes] = []
                size = 0
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise ServiceCallError("gateway", "too_large", f"file is larger than {self.max_bytes} bytes")
                    chunks.append(chunk)
                return b"".join(chunks)
        except httpx.TimeoutException as exc:
            raise ServiceCallError("gateway", "upstream_timeout", "file download timed out") from exc
        except httpx.HTTPError as exc:
            raise ServiceCallError("gateway", "unavailable", f"file download failed ({type(exc).__name__})") from exc
