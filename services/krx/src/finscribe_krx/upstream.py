"""pykrx behind a guarded door: one login session per process, HTTP timeouts, and errors
that pykrx would swallow turned back into upstream errors.

pykrx hides failures: its `dataframe_empty_handler` turns a KeyError, a JSON decode error
or a type error into an empty DataFrame, and it sends requests without a timeout. We give
its session a default timeout and a response hook that records every answer of the
current call, so after the call we can tell "KRX said nothing" from "KRX said 429",
"KRX sent HTML", or "the login expired (400 LOGOUT)".

pykrx is imported lazily in a worker thread: on import it logs in with KRX_ID/KRX_PW from
the process environment, which must never block the event loop.
"""

import contextlib
import io
import json
import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, TypeVar

import requests
from requests.adapters import HTTPAdapter

from finscribe_common.errors import NotConfigured, RateLimited, UpstreamError, UpstreamTimeout
from finscribe_common.shared_state import SharedState
from finscribe_common.threads import run_blocking, thread_pool
from finscribe_common.throttle import Cooldown, MinIntervalThrottle
from finscribe_krx.config import KrxSettings

logger = logging.getLogger("finscribe.krx.upstream")

T = TypeVar("T")

NOT_CONFIGURED_MESSAGE = (
    "KRX data needs a login since 2025: set KRX_ID and KRX_PW "
    "(a free data.krx.co.kr member account) and restart the krx service"
)
DEFAULT_RETRY_AFTER_S = 60.0


class _TimeoutAdapter(HTTPAdapter):
    """pykrx calls `session.post(...)` without a timeout; a silent KRX would hang a thread forever."""

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self.timeout = timeout

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout
        return super().send(request, **kwargs)


@dataclass
class _Recorder(threading.local):
    responses: list[requests.Response] = field(default_factory=list)


class SessionExpired(Exception):
    """KRX answered 400 `LOGOUT`: the login cookie is no longer accepted."""


class KrxUpstream:
    """Runs pykrx calls in worker threads with one shared, logged-in KRX session."""

    def __init__(self, settings: KrxSettings, shared: SharedState | None = None) -> None:
        self.settings = settings
        # with Redis the gap holds across replicas: KRX sees one paced client, not N
        self.shared = shared or SharedState.disabled()
        self.throttle = MinIntervalThrottle(settings.krx_min_interval_s, name="krx", shared=self.shared)
        # after KRX's 429, no replica calls it until its Retry-After has passed
        self.cooldown = Cooldown("krx", shared=self.shared)
        thread_pool("krx", settings.krx_max_workers)  # sized before the first call creates it
        self._recorder = _Recorder()
        self._login_lock = threading.Lock()
        self._session: Any = None  # pykrx KRXSession
        self._logged_in_at = float("-inf")
        self._refused_at = float("-inf")
        self.logins = 0

    # ---- async entry point -------------------------------------------------------------

    async def call(self, what: str, func: Callable[[ModuleType], T], *, payload_key: str | None) -> T:
        """Run `func(pykrx.website.krx)` in a worker thread, after the throttle's gap."""
        if self.settings.credentials is None:
            raise NotConfigured(NOT_CONFIGURED_MESSAGE)
        remaining = await self.cooldown.remaining()
        if remaining > 0:
            raise RateLimited(
                f"KRX rate-limited this server recently; calls resume in {int(remaining + 0.999)} s",
                code="upstream_rate_limited",
                retry_after=remaining,
            )
        await self.throttle.wait()
        try:
            return await run_blocking(
                self._call_sync,
                what,
                func,
                payload_key,
                timeout=self.settings.krx_call_timeout_s,
                pool="krx",
                what=f"KRX {what}",
            )
        except RateLimited as exc:
            await self.cooldown.start(exc.retry_after)
            raise

    # ---- worker thread -------------------------------------------------------------------

    def _call_sync(self, what: str, func: Callable[[ModuleType], T], payload_key: str | None) -> T:
        try:
            generation = self.logins
            try:
                return self._attempt(what, func, payload_key)
            except SessionExpired:
                # KRX drops logins before pykrx's one-hour guess; one fresh login, one retry.
                logger.info("KRX session expired during %s; logging in again", what)
                self._invalidate(generation)
                try:
                    return self._attempt(what, func, payload_key)
                except SessionExpired as exc:
                    raise UpstreamError(
                        f"KRX rejected the session right after a fresh login ({what}): answered 400 LOGOUT"
                    ) from exc
        except requests.Timeout as exc:
            raise UpstreamTimeout(f"KRX did not answer {what} within {self.settings.krx_http_timeout_s:g} s") from exc
        except requests.ConnectionError as exc:
            raise UpstreamError(f"KRX is unreachable ({what}): {_short(exc)}") from exc
        except requests.RequestException as exc:
            raise UpstreamError(f"KRX request failed ({what}): {_short(exc)}") from exc

    def _attempt(self, what: str, func: Callable[[ModuleType], T], payload_key: str | None) -> T:
        krx = self._ensure_login()
        self._recorder.responses = []
        try:
            result = func(krx)
        except (KeyError, ValueError, TypeError, AttributeError) as exc:
            # pykrx lets some parsing errors through (outside its empty-frame handler)
            self._check_responses(what, payload_key, self._recorder.responses, parsed_empty=True)
            raise UpstreamError(f"KRX answered {what} in a shape pykrx could not read: {_short(exc)}") from exc
        finally:
            responses, self._recorder.responses = self._recorder.responses, []
        self._check_responses(what, payload_key, responses, parsed_empty=_is_empty(result))
        return result

    def _check_responses(
        self,
        what: str,
        payload_key: str | None,
        responses: list[requests.Response],
        *,
        parsed_empty: bool,
    ) -> None:
        for resp in responses:
            if resp.status_code == 429:
                retry = _retry_after(resp)
                raise RateLimited(
                    f"KRX is rate-limiting this server ({what}); try again in {retry:g} s",
                    code="upstream_rate_limited",
                    retry_after=retry,
                )
            if resp.status_code == 400 and resp.text.strip().upper() == "LOGOUT":
                raise SessionExpired()
            if resp.status_code >= 400:
                raise UpstreamError(f"KRX answered HTTP {resp.status_code} to {what}{_krx_said(resp)}")
        if not parsed_empty or not responses or payload_key is None:
            return
        # pykrx returned an empty result: find out whether KRX really sent no rows
        for resp in responses:
            try:
                body = json.loads(resp.text)
            except ValueError as exc:
                raise UpstreamError(f"KRX sent a malformed answer to {what} (not JSON)") from exc
            if not isinstance(body, dict) or payload_key not in body:
                raise UpstreamError(f"KRX answer to {what} has no {payload_key!r} block{_krx_said(resp)}")
            rows = body[payload_key]
            if not isinstance(rows, list):
                raise UpstreamError(f"KRX answer to {what} has a malformed {payload_key!r} block")
            if rows:
                raise UpstreamError(f"KRX answered {len(rows)} rows for {what} that pykrx could not read")

    # ---- session -------------------------------------------------------------------------

    def _invalidate(self, generation: int) -> None:
        with self._login_lock:
            # concurrent calls that saw the same dead session log in again only once
            if self.logins == generation:
                self._logged_in_at = float("-inf")

    def _ensure_login(self) -> ModuleType:
        credentials = self.settings.credentials
        if credentials is None:
            raise NotConfigured(NOT_CONFIGURED_MESSAGE)
        with self._login_lock:
            krx = _import_pykrx()
            from pykrx.website.comm import auth

            fresh = time.monotonic() - self._logged_in_at < self.settings.krx_session_max_age_s
            if not (fresh and self._session is not None):
                refused_for = self._refused_at + self.settings.krx_login_retry_s - time.monotonic()
                if refused_for > 0:
                    # retrying a refused password at once could get the KRX account locked
                    raise UpstreamError(
                        f"KRX refused the login with KRX_ID/KRX_PW; not retrying for {refused_for:.0f} s "
                        "(check the account at data.krx.co.kr)"
                    )
                if self._session is not None:
                    self._session.session.close()
                self._session = self._login(auth, *credentials)
            # pykrx reads one module-global session; point it at ours before every call, and
            # keep its own expiry ahead so it never re-logs in from os.environ behind our back
            self._session.expiry_time = time.time() + 3_600
            auth.set_auth_session(self._session)
            return krx

    def _login(self, auth: ModuleType, login_id: str, password: str) -> Any:
        http = requests.Session()
        http.mount("https://", _TimeoutAdapter(self.settings.krx_http_timeout_s))
        http.mount("http://", _TimeoutAdapter(self.settings.krx_http_timeout_s))
        http.hooks["response"].append(self._record)
        self._recorder.responses = []
        try:
            ok = auth.login_krx(login_id, password, http)
        except ValueError as exc:  # a login answer that is not JSON
            self._check_login(self._recorder.responses)
            raise UpstreamError("KRX sent a malformed answer to the login (not JSON)") from exc
        finally:
            responses, self._recorder.responses = self._recorder.responses, []
        self._check_login(responses)
        if not ok:
            self._refused_at = time.monotonic()
            raise UpstreamError("KRX refused the login with KRX_ID/KRX_PW; check the account at data.krx.co.kr")
        self.logins += 1
        self._logged_in_at = time.monotonic()
        session = auth.KRXSession(session=http, is_authenticated=True)
        for cookie in http.cookies:
            session.cookies[cookie.name] = {"value": cookie.value, "domain": cookie.domain, "path": cookie.path}
        logger.info("logged in to KRX")
        return session

    @staticmethod
    def _check_login(responses: list[requests.Response]) -> None:
        for resp in responses:
            if resp.status_code == 429:
                raise RateLimited(
                    "KRX is rate-limiting this server (login)",
                    code="upstream_rate_limited",
                    retry_after=_retry_after(resp),
                )
            if resp.status_code >= 400:
                raise UpstreamError(f"KRX answered HTTP {resp.status_code} to the login")

    def _record(self, resp: requests.Response, *args: Any, **kwargs: Any) -> None:
        self._recorder.responses.append(resp)


_import_lock = threading.Lock()


def _import_pykrx() -> ModuleType:
    with _import_lock:
        if "pykrx.website.krx" in sys.modules:
            return sys.modules["pykrx.website.krx"]
        # Importing any part of pykrx runs its webio module, which logs in with KRX_ID/KRX_PW
        # from os.environ: a second login beside ours (_login), which KRX answers as a
        # duplicate login (CD011). Hidden for the import, pykrx only prints that it has no
        # credentials; every call then points it at our session first (_ensure_login).
        hidden = {name: os.environ.pop(name) for name in ("KRX_ID", "KRX_PW") if name in os.environ}
        try:
            with contextlib.redirect_stdout(io.StringIO()) as said:
                import pykrx.website.krx as krx
                from pykrx.website.comm import auth, util
        finally:
            os.environ.update(hidden)
        _pykrx_print(said.getvalue().strip())
        # pykrx reports with print() to stdout, e.g. "Error occurred in get_…" for every empty
        # answer (KRX answers a range without rows with an empty `output`, which pykrx's
        # column pick turns into a KeyError). Our checks decide what an empty answer means
        # (_check_responses, service._series), so its lines go to the debug log instead.
        for module in (auth, util):
            module.print = _pykrx_print
        return krx


def _pykrx_print(*args: object, **_: object) -> None:
    if any(args):
        logger.debug("pykrx: %s", " ".join(str(a) for a in args))


def _is_empty(result: object) -> bool:
    if result is None:
        return True
    empty = getattr(result, "empty", None)
    if empty is not None:
        return bool(empty)
    return hasattr(result, "__len__") and len(result) == 0


def _krx_said(resp: requests.Response) -> str:
    """What KRX said in an error answer, for the message of our 502: ": <_error_message>
    (<_error_code>)" from KRX's JSON error shape (`{"_error_code", "_error_message"}`), else
    the start of a short plain-text body, else "" (an HTML page or an empty body says nothing
    the status does not). Never raises: it only decorates an error already decided."""
    text = resp.text.strip()
    try:
        body = json.loads(text) if text else None
    except ValueError:
        body = None
    if isinstance(body, dict) and (body.get("_error_code") or body.get("_error_message")):
        message = _clip(str(body.get("_error_message") or "").strip())
        code = str(body.get("_error_code") or "").strip()[:40]
        return f": {message} ({code})" if message and code else f": {message or code}"
    if text and not text.startswith("<") and "html" not in resp.headers.get("Content-Type", "").lower():
        return f": {_clip(text)}"
    return ""


def _clip(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _retry_after(resp: requests.Response) -> float:
    raw = resp.headers.get("Retry-After", "")
    try:
        return max(1.0, float(raw))
    except ValueError:
        return DEFAULT_RETRY_AFTER_S


def _short(exc: BaseException) -> str:
    return _clip(str(exc) or type(exc).__name__)
