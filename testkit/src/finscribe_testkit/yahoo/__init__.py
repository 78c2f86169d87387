"""Test support for the yahoo service: Yahoo's protocol replayed from the real recordings.

- `handle(method, url, params, body) -> (status, headers, body_bytes)`: the pure replay
  (see `replay` for exactly what it carries: the REAL recorded adjusted closes of
  005930.KS in 2024 and of TSLA, ^IXIC and ten other US symbols 2020-2024; open, high, low,
  raw close and volume are null because they were not recorded; no FX rate is served).
- `register_yahoo_replay(rsps) -> YahooCallCounter`: registers the replay on a
  `responses.RequestsMock` the caller owns and counts upstream requests by kind.
- `fake_upstream_app()`: the replay as an ASGI app for `FINSCRIBE_UPSTREAM_OVERRIDES`
  (`overrides_for(base_url)` builds the value).
- `test_settings(**overrides)`: settings that work with the replay (requests session,
  fake internal token, no throttle, no backoff, a private yfinance cache directory).
"""

import atexit
import os
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from finscribe_testkit.yahoo.mock import YahooCallCounter, register_yahoo_replay
from finscribe_testkit.yahoo.recordings import load_recordings, recorded_closes
from finscribe_testkit.yahoo.replay import REPLAY_CRUMB, handle, kind_of
from finscribe_testkit.yahoo.server import fake_upstream_app, overrides_for
from finscribe_yahoo.config import YahooSettings

TEST_INTERNAL_TOKEN = "test-internal-token"  # noqa: S105 - a test value, never deployed

__all__ = [
    "REPLAY_CRUMB",
    "TEST_INTERNAL_TOKEN",
    "YahooCallCounter",
    "fake_upstream_app",
    "handle",
    "kind_of",
    "load_recordings",
    "overrides_for",
    "recorded_closes",
    "register_yahoo_replay",
    "test_settings",
]


@lru_cache(maxsize=1)
def _process_dir() -> Path:
    # yfinance keeps its cookie/time zone cache location per process, so one directory per process
    path = Path(tempfile.mkdtemp(prefix=f"finscribe-yahoo-test-{os.getpid()}-"))
    atexit.register(shutil.rmtree, path, True)
    return path


def test_settings(**overrides: Any) -> YahooSettings:
    values: dict[str, Any] = {
        "internal_token": TEST_INTERNAL_TOKEN,
        "data_dir": _process_dir() / "data",
        "yahoo_cache_dir": _process_dir() / "yfinance",
        "yahoo_http_client": "requests",
        "yahoo_min_interval_s": 0.0,
        "yahoo_rate_limit_retries": 1,
        "yahoo_rate_limit_backoff_s": 0.0,
        "yahoo_rate_limit_cooldown_s": 30.0,
        "yahoo_timeout_s": 10.0,
        "yahoo_request_timeout_s": 5.0,
    }
    values.update(overrides)
    return YahooSettings(**values)


test_settings.__test__ = False  # type: ignore[attr-defined]  # not a pytest test despite its name
