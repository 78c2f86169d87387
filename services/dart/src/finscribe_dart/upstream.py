"""Calls to Open DART through dart-fss's HTTP layer, under our throttle, quota and deadlines.

We go through `dart_fss.utils.request` (dart-fss's `Request`: its requests session, its
user agent, its download handling) rather than the higher-level `dart_fss.api` helpers
because those collapse DART's status codes: `check_status` maps 012 (IP not allowed),
901 (expired key) and 900 (upstream fault) all to `UnknownError`, and callers need a
503 for the first two and a 502 for the last. `search_filings` and `get_corp_code`
also read the key from dart-fss's `DartAuth` singleton, whose setter spends one
`company.json` request to validate it; we pass the key per request instead.

dart-fss sleeps `Request.delay` (0.2 s) after every call inside the calling thread. We
set that knob to None and space calls with our own async `MinIntervalThrottle`
(`DART_MIN_INTERVAL_S`) before they enter the thread pool, so no pool thread sits idle.
"""

import functools
import json
import logging
import threading
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

import requests
from dart_fss.utils import request as dart_request

from finscribe_common.errors import (
    ApiError,
    NotConfigured,
    RateLimited,
    UpstreamError,
    UpstreamTimeout,
)
from finscribe_common.shared_state import SharedState
from finscribe_common.threads import run_blocking, thread_pool
from finscribe_common.throttle import Cooldown, DailyQuota, MinIntervalThrottle
from finscribe_dart.config import DartSettings

logger = logging.getLogger("finscribe.dart.upstream")

BASE_URL = "https://opendart.fss.or.kr"
POOL = "dart"

# https://opendart.fss.or.kr/guide: 메시지 설명
STATUS_OK = "000"
STATUS_NO_DATA = "013"
KEY_STATUSES = {
    "010": "the DART API key is not registered",
    "011": "the DART API key is temporarily suspended",
    "012": "this server's IP address is not allowed for the DART API key",
    "901": "the DART API key has expired (the account's personal data retention period ended)",
}
RATE_LIMIT_STATUS = "020"
INVALID_FIELD_STATUS = "100"
UPSTREAM_DOWN_STATUSES = {"800": "Open DART is closed for maintenance", "900": "Open DART reported an undefined error"}

_configure_lock = threading.Lock()


def configure_dart_fss() -> None:
    """Turn off dart-fss's in-thread sleep: our async throttle spaces the calls."""
    with _configure_lock:
        dart_request.set_delay(None)


class NoData(Exception):
    """DART status 013: the query is valid but DART holds no such data."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class UpstreamStats:
    calls: int = 0
    by_path: dict[str, int] = field(default_factory=dict)


def scrub(text: str, secret: str | None) -> str:
    return text.replace(secret, "***") if secret else text


def raise_for_status(status: str | None, message: str | None) -> None:
    """Map an Open DART status to our error envelope; 013 becomes `NoData`."""
    message = (message or "").strip()
    if status == STATUS_OK:
        return
    if status == STATUS_NO_DATA:
        raise NoData(message or "no data")
    if status in KEY_STATUSES:
        raise NotConfigured(
            f"{KEY_STATUSES[status]} (Open DART status {status}: {message}); check DART_API_KEY",
            code="not_configured",
        )
    if status == RATE_LIMIT_STATUS:
        raise RateLimited(
            f"Open DART refused the request: request limit exceeded (status 020: {message})",
            code="upstream_rate_limited",
            retry_after=60,
        )
    if status == INVALID_FIELD_STATUS:
        # our inputs are validated before they go out, so this is a contract change, not the caller's fault
        raise UpstreamError(f"Open DART rejected a parameter (status 100: {message})", code="upstream_rejected")
    if status in UPSTREAM_DOWN_STATUSES:
        raise UpstreamError(f"{UPSTREAM_DOWN_STATUSES[status]} (status {status}: {message})")
    raise UpstreamError(f"Open DART answered with unknown status {status!r}: {message}")


def _status_from_body(body: bytes) -> tuple[str | None, str | None]:
    """DART errors come as JSON from .json endpoints and as XML from the zip/xml ones."""
    text = body.strip()
    if text.startswith(b"{"):
        data = json.loads(text)
        return data.get("status"), data.get("message")
    if text.startswith(b"<"):
        root = ET.fromstring(text)  # noqa: S314 - a small status document from Open DART, no entities
        return root.findtext("status"), root.findtext("message")
    return None, None


class DartUpstream:
    """One per app: the key, the throttle, the daily quota and the counters.

    With `shared` (Redis) the throttle, the quota and the cool-down after DART's status 020
    hold for every replica using the key.
    """

    def __init__(self, settings: DartSettings, shared: SharedState | None = None) -> None:
        self.settings = settings
        self.shared = shared or SharedState.disabled()
        self.throttle = MinIntervalThrottle(settings.dart_min_interval_s, name="dart", shared=self.shared)
        self.quota = DailyQuota(settings.dart_daily_limit, "Open DART", shared=self.shared)
        self.cooldown = Cooldown("dart", shared=self.shared)
        self.stats = UpstreamStats()
        thread_pool(POOL, settings.dart_max_workers)
        configure_dart_fss()

    @property
    def configured(self) -> bool:
        return self.settings.api_key is not None

    def _key(self) -> str:
        key = self.settings.api_key
        if key is None:
            raise NotConfigured("Open DART is not configured: set DART_API_KEY (free at https://opendart.fss.or.kr)")
        return key

    async def _send(self, path: str, params: dict[str, str], timeout: float) -> requests.Response:
        key = self._key()
        # refuse before DART would: the quota is spent only for calls that really go out
        await self.quota.take()
        await self.throttle.wait()
        self.stats.calls += 1
        self.stats.by_path[path] = self.stats.by_path.get(path, 0) + 1
        payload = {"crtfc_key": key, **params}
        # requests' own timeout fires first; the thread deadline is the backstop for a hung read
        call = functools.partial(dart_request.get, f"{BASE_URL}{path}", payload=payload, timeout=timeout)
        try:
            return await run_blocking(call, timeout=timeout + 2.0, pool=POOL, what=f"Open DART {path}")
        except ApiError:
            raise
        except requests.Timeout as exc:
            raise UpstreamTimeout(f"Open DART {path} did not answer within {timeout:g} s") from exc
        except requests.ConnectionError as exc:
            logger.warning("Open DART %s unreachable: %s", path, scrub(str(exc), key))
            message = f"Open DART is unreachable ({type(exc).__name__})"
            raise UpstreamError(message, code="upstream_unreachable") from exc
        except requests.RequestException as exc:
            logger.warning("Open DART %s failed: %s", path, scrub(str(exc), key))
            raise UpstreamError(f"Open DART call failed ({type(exc).__name__})") from exc

    @staticmethod
    def _check_http(path: str, response: requests.Response) -> None:
        if response.status_code == 429:
            raise RateLimited("Open DART answered HTTP 429 (too many requests)", code="upstream_rate_limited")
        if response.status_code >= 400:
            raise UpstreamError(f"Open DART {path} answered HTTP {response.status_code}")

    async def _refuse_during_cooldown(self) -> None:
        remaining = await self.cooldown.remaining()
        if remaining > 0:
            raise RateLimited(
                f"Open DART refused requests as over its limit (status 020); calls resume in "
                f"{int(remaining + 0.999)} s",
                code="upstream_rate_limited",
                retry_after=remaining,
            )

    async def _start_cooldown(self, exc: RateLimited) -> None:
        """DART said "too many requests": stop calling it (every replica, with Redis) for a while."""
        if exc.code == "upstream_rate_limited":
            seconds = self.settings.dart_rate_limit_cooldown_s
            await self.cooldown.start(seconds)
            logger.warning("Open DART rate limit: no calls for %g s", seconds)

    async def get_json(self, path: str, params: dict[str, str]) -> dict[str, Any]:
        """GET a DART .json endpoint; returns the envelope with status 000 or raises."""
        await self._refuse_during_cooldown()
        try:
            return await self._get_json(path, params)
        except RateLimited as exc:
            await self._start_cooldown(exc)
            raise

    async def _get_json(self, path: str, params: dict[str, str]) -> dict[str, Any]:
        response = await self._send(path, params, self.settings.dart_timeout_s)
        self._check_http(path, response)
        try:
            data = response.json()
        except ValueError as exc:
            raise UpstreamError(f"Open DART {path} answered with a body that is not JSON") from exc
        if not isinstance(data, dict) or "status" not in data:
            raise UpstreamError(f"Open DART {path} answered JSON without a status")
        raise_for_status(str(data.get("status")), data.get("message"))
        return data

    async def get_zip(self, path: str) -> bytes:
        """Download a zip endpoint (corpCode.xml); DART answers errors with an XML/JSON status body."""
        await self._refuse_during_cooldown()
        try:
            return await self._get_zip(path)
        except RateLimited as exc:
            await self._start_cooldown(exc)
            raise

    async def _get_zip(self, path: str) -> bytes:
        response = await self._send(path, {}, self.settings.dart_corp_codes_timeout_s)
        self._check_http(path, response)
        body = response.content
        if body[:2] == b"PK":
            return body
        try:
            status, message = _status_from_body(body)
        except (ValueError, ET.ParseError) as exc:
            raise UpstreamError(f"Open DART {path} answered with neither a zip file nor a status") from exc
        if status is None or status == STATUS_OK:
            raise UpstreamError(f"Open DART {path} answered with neither a zip file nor a status")
        try:
            raise_for_status(status, message)
        except NoData as exc:
            raise UpstreamError(f"Open DART {path} returned no file: {exc.message}") from exc
        raise AssertionError("unreachable")  # pragma: no cover
