"""HTTP clients for every service the orchestrator calls, built per run and closed after it."""

from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx

from finscribe_common.http_client import build_client
from finscribe_common.settings import ServiceUrls
from finscribe_orchestrator.clients.dart import DartClient
from finscribe_orchestrator.clients.files import FilesClient
from finscribe_orchestrator.clients.krx import KrxClient
from finscribe_orchestrator.clients.rag import RagClient
from finscribe_orchestrator.clients.yahoo import YahooClient
from finscribe_orchestrator.config import OrchestratorSettings

Transports = Mapping[str, httpx.AsyncBaseTransport]


@dataclass
class Clients:
    krx: KrxClient
    dart: DartClient
    yahoo: YahooClient
    rag: RagClient
    files: FilesClient
    _http: list[httpx.AsyncClient] = field(default_factory=list)

    async def aclose(self) -> None:
        for http in self._http:
            await http.aclose()


def build_clients(
    settings: OrchestratorSettings, urls: ServiceUrls, token: str, transports: Transports | None = None
) -> Clients:
    """`transports` maps a service name to a transport (tests: httpx.ASGITransport to the real app)."""
    transports = transports or {}
    made: list[httpx.AsyncClient] = []

    def http(name: str, base_url: str, timeout: float) -> httpx.AsyncClient:
        # one attempt: each data service already retries its own upstream, and its 502/503 answers are
        # considered (no rows, not configured), so a retry here would only delay the whole run
        client = build_client(
            base_url=base_url, internal_token=token, timeout=timeout, attempts=1, transport=transports.get(name)
        )
        made.append(client)
        return client

    timeout = settings.data_timeout_s
    return Clients(
        krx=KrxClient("krx", http("krx", urls.krx, timeout)),
        dart=DartClient("dart", http("dart", urls.dart, timeout)),
        yahoo=YahooClient("yahoo", http("yahoo", urls.yahoo, timeout)),
        rag=RagClient("rag", http("rag", urls.rag, timeout)),
        files=FilesClient(http("gateway", urls.gateway, settings.file_timeout_s), urls.gateway, settings.max_csv_bytes),
        _http=made,
    )
