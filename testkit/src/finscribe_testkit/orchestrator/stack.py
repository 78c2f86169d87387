"""The real krx, dart, yahoo (and optionally rag) services in-process, for graph tests and benchmarks.

Their upstreams (data.krx.co.kr, opendart.fss.or.kr, Yahoo) are replayed from the real
recorded fixtures by the test kit's per-service replays, all on ONE `responses.RequestsMock`,
so a test can count upstream calls. The orchestrator reaches the services through
`httpx.ASGITransport`, i.e. their real FastAPI apps, routes, caches and error envelopes.
"""

import contextlib
import tempfile
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import responses
from pydantic import SecretStr

TOKEN = "orchestrator-test-internal-token"  # noqa: S105 - a test value, never deployed


@dataclass
class ReplayedServices:
    transports: dict[str, httpx.AsyncBaseTransport]
    apps: dict[str, Any]
    counters: dict[str, Any] = field(default_factory=dict)
    mock: responses.RequestsMock | None = None


def data_service_apps(token: str = TOKEN) -> dict[str, Any]:
    """The real krx, dart and yahoo apps with the test kit's settings (replay credentials, no throttle)."""
    from finscribe_dart.main import create_app as dart_app
    from finscribe_krx.main import create_app as krx_app
    from finscribe_testkit.dart import test_settings as dart_settings
    from finscribe_testkit.krx import test_settings as krx_settings
    from finscribe_testkit.yahoo import test_settings as yahoo_settings
    from finscribe_yahoo.main import create_app as yahoo_app

    return {
        "krx": krx_app(krx_settings(internal_token=token)),
        "dart": dart_app(dart_settings(internal_token=token)),
        "yahoo": yahoo_app(yahoo_settings(internal_token=token)),
    }


def register_replays(rsps: responses.RequestsMock) -> dict[str, Any]:
    """KRX, Open DART and Yahoo replayed from the real fixtures on one mock; returns their call counters."""
    from finscribe_testkit.dart import register_dart_replay
    from finscribe_testkit.krx import register_krx_replay
    from finscribe_testkit.yahoo import register_yahoo_replay

    return {
        "krx": register_krx_replay(rsps),
        "dart": register_dart_replay(rsps),
        "yahoo": register_yahoo_replay(rsps),
    }


@contextlib.contextmanager
def replayed_data_services(
    token: str = TOKEN, down: tuple[str, ...] = (), apps: dict[str, Any] | None = None
) -> Iterator[ReplayedServices]:
    """krx, dart and yahoo as real apps while their upstreams are replayed; names in `down` refuse connections.

    `apps` reuses apps built earlier (their caches, e.g. the parsed DART corp list, survive);
    the upstream mock lives only inside this block, so `requests` is patched no longer than needed.
    """
    apps = apps if apps is not None else data_service_apps(token)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        counters = register_replays(rsps)
        transports: dict[str, httpx.AsyncBaseTransport] = {
            name: httpx.ASGITransport(app) for name, app in apps.items() if name not in down
        }
        for name in down:
            transports[name] = refused(name)
        yield ReplayedServices(transports=transports, apps=apps, counters=counters, mock=rsps)


def refused(name: str) -> "Refused":
    return Refused(name)


class Refused(httpx.AsyncBaseTransport):
    """A service that is down: every connection is refused, as a stopped process would."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.calls = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        raise httpx.ConnectError(f"connection refused ({self.name} is down)", request=request)


@contextlib.asynccontextmanager
async def rag_service(token: str = TOKEN, directory: Path | None = None) -> AsyncIterator[Any]:
    """The real rag app (Chroma + BM25 in a temp directory) with its lifespan running."""
    from finscribe_rag.config import RagSettings
    from finscribe_rag.main import create_app as rag_app

    base = directory or Path(tempfile.mkdtemp(prefix="finscribe-orch-rag-"))
    # no bm25_dir: RagSettings has no such field (its extra="ignore" dropped it)
    settings = RagSettings(internal_token=SecretStr(token), data_dir=base, chroma_path=base / "chroma")
    app = rag_app(settings)
    async with app.router.lifespan_context(app):
        yield app
