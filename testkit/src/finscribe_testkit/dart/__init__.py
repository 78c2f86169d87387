"""Open DART replay for tests and benchmarks (see `replay` for which real values it carries).

- `handle(method, url, params, body) -> (status, headers, body_bytes)`: the pure replay;
- `register_dart_replay(rsps) -> DartReplayCounter`: callbacks on a caller-owned
  `responses.RequestsMock`, counting upstream calls;
- `fake_upstream_app()`: the replay over real HTTP, for running the service as a
  process with `FINSCRIBE_UPSTREAM_OVERRIDES=opendart.fss.or.kr=http://127.0.0.1:<port>`;
- `test_settings(**overrides)`: settings that work with the replay (replay key, no throttle,
  no startup preload; a fresh temp data dir unless `data_dir` is given).
"""

import asyncio
import re
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from finscribe_dart.config import DartSettings
from finscribe_testkit.dart.replay import (
    HOST,
    REPLAY_API_KEY,
    SAMSUNG_H1_2024_FILING,
    Reply,
    handle,
    statement_envelope,
    statement_rows,
    status_reply,
)

# path, query (without the key) -> a reply to use instead of the replay's, or None
Override = Callable[[str, dict[str, str]], Reply | None]

__all__ = [
    "HOST",
    "REPLAY_API_KEY",
    "SAMSUNG_H1_2024_FILING",
    "DartReplayCounter",
    "Override",
    "fake_upstream_app",
    "handle",
    "register_dart_replay",
    "statement_envelope",
    "statement_rows",
    "status_reply",
    "test_settings",
]


@dataclass
class DartReplayCounter:
    calls: int = 0
    by_path: Counter[str] = field(default_factory=Counter)
    queries: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def record(self, path: str, query: dict[str, str]) -> None:
        self.calls += 1
        self.by_path[path] += 1
        self.queries.append((path, {k: v for k, v in query.items() if k != "crtfc_key"}))


def _answer(method: str, url: str, counter: DartReplayCounter, override: Override | None) -> Reply:
    path = urlsplit(url).path
    query = dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))
    counter.record(path, query)
    if override is not None:
        scripted = override(path, {k: v for k, v in query.items() if k != "crtfc_key"})
        if scripted is not None:
            return scripted
    return handle(method, url)


def register_dart_replay(rsps: Any, *, override: Override | None = None) -> DartReplayCounter:
    """Register Open DART on `rsps` (a responses.RequestsMock the caller owns)."""
    import responses

    counter = DartReplayCounter()

    def callback(request: Any) -> tuple[int, dict[str, str], bytes]:
        return _answer(request.method, request.url, counter, override)

    # Open DART's API is GET only; one registration, so a mock asserting that everything
    # registered fired is satisfied by any DART call
    rsps.add_callback(responses.GET, re.compile(rf"https?://{re.escape(HOST)}/.*"), callback=callback)
    return counter


def fake_upstream_app(*, delay: float = 0.0, override: Override | None = None) -> Starlette:
    """The replay over real HTTP; `app.state.counter` counts the calls."""
    counter = DartReplayCounter()

    async def endpoint(request: Request) -> Response:
        if delay:
            await asyncio.sleep(delay)
        url = f"https://{HOST}{request.url.path}" + (f"?{request.url.query}" if request.url.query else "")
        status, headers, body = _answer(request.method, url, counter, override)
        return Response(body, status_code=status, headers=headers)

    app = Starlette(routes=[Route("/{path:path}", endpoint, methods=["GET", "POST"])])
    app.state.counter = counter
    return app


def test_settings(**overrides: Any) -> DartSettings:
    values: dict[str, Any] = {
        "dart_api_key": REPLAY_API_KEY,
        "dart_min_interval_s": 0.0,
        "dart_timeout_s": 5.0,
        "internal_token": "test-internal-token",
        "log_level": "WARNING",
        # tests count upstream calls exactly; a background download would blur them
        "dart_preload_corp_codes": False,
    }
    values.update(overrides)
    if "data_dir" not in values:
        # a fresh directory, so no earlier run's corp list is found on disk; the caller removes it
        values["data_dir"] = Path(tempfile.mkdtemp(prefix="finscribe-dart-test-"))
    return DartSettings(**values)


test_settings.__test__ = False  # type: ignore[attr-defined]  # not a pytest test
