"""Register the KRX replay on a caller-owned `responses.RequestsMock` and count the calls.

Faults (for tests of the error paths) are queued on the returned `KrxReplay`:
`replay.fail("429")` makes the next matching request answer 429; kinds are
"429", "500", "malformed" (200 with an HTML body), "logout" (400 LOGOUT), "timeout"
(requests.ReadTimeout), "refused" (requests.ConnectionError) and "empty" (200 with an
empty `output`).
"""

import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests
import responses

from finscribe_testkit.krx.replay import DATA_PATH, LOGIN_POST, Response, form, handle

KRX_URL = re.compile(r"https?://data\.krx\.co\.kr/.*")
FAULT_KINDS = ("429", "500", "malformed", "logout", "timeout", "refused", "empty")


@dataclass
class RecordedCall:
    method: str
    path: str
    fields: dict[str, str]
    at: float = field(default_factory=time.monotonic)

    @property
    def bld(self) -> str | None:
        return self.fields.get("bld")


@dataclass
class _Fault:
    kind: str
    bld: str | None
    times: int


@dataclass
class KrxReplay:
    """What the replay saw: every request to data.krx.co.kr, in order."""

    calls: list[RecordedCall] = field(default_factory=list)
    _faults: list[_Fault] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def total(self) -> int:
        return len(self.calls)

    @property
    def data_calls(self) -> list[RecordedCall]:
        return [c for c in self.calls if c.path == DATA_PATH]

    @property
    def logins(self) -> int:
        return sum(1 for c in self.calls if c.path == LOGIN_POST)

    def by_bld(self) -> Counter[str]:
        return Counter(c.bld for c in self.data_calls if c.bld)

    def calls_for(self, bld: str) -> list[RecordedCall]:
        return [c for c in self.data_calls if c.bld == bld]

    def fail(self, kind: str, *, bld: str | None = None, times: int = 1) -> None:
        """Make the next `times` data requests (for `bld`, or any) fail with `kind`."""
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {kind!r}; one of {FAULT_KINDS}")
        with self._lock:
            self._faults.append(_Fault(kind, bld, times))

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self._faults.clear()

    def _take_fault(self, call: RecordedCall) -> str | None:
        if call.path != DATA_PATH:
            return None
        with self._lock:
            for fault in self._faults:
                if fault.bld is None or fault.bld == call.bld:
                    fault.times -= 1
                    if fault.times <= 0:
                        self._faults.remove(fault)
                    return fault.kind
        return None

    def respond(self, method: str, url: str, body: bytes | str | None, headers: dict[str, str]) -> Response:
        call = RecordedCall(method.upper(), urlsplit(url).path, form(body))
        with self._lock:
            self.calls.append(call)
        fault = self._take_fault(call)
        if fault == "timeout":
            raise requests.ReadTimeout(f"replayed timeout for {url}")
        if fault == "refused":
            raise requests.ConnectionError(f"replayed connection refused for {url}")
        if fault == "429":
            return 429, {"Retry-After": "30", "Content-Type": "text/html"}, b"<html>Too Many Requests</html>"
        if fault == "500":
            return 500, {"Content-Type": "text/html"}, b"<html>Internal Server Error</html>"
        if fault == "malformed":
            return (
                200,
                {"Content-Type": "text/html"},
                b"<html><body>\xec\x9e\xa0\xec\x8b\x9c \xed\x9b\x84</body></html>",
            )
        if fault == "logout":
            return 400, {"Content-Type": "text/plain"}, b"LOGOUT"
        if fault == "empty":
            return 200, {"Content-Type": "application/json"}, b'{"output": [], "CURRENT_DATETIME": ""}'
        return handle(method, url, None, body, headers)


def _prepared_body(body: object) -> bytes | str | None:
    """requests prepares form and JSON bodies as bytes or str; a streamed body is not replayed."""
    if body is None or isinstance(body, bytes | str):
        return body
    raise TypeError(f"the KRX replay cannot read a streamed request body ({type(body).__name__})")


def register_krx_replay(rsps: responses.RequestsMock) -> KrxReplay:
    """Answer every data.krx.co.kr request on `rsps` from the replay; returns the call log."""
    replay = KrxReplay()

    def callback(request: requests.PreparedRequest) -> Response:
        headers = {k: v if isinstance(v, str) else v.decode("latin-1") for k, v in request.headers.items()}
        return replay.respond(request.method or "GET", request.url or "", _prepared_body(request.body), headers)

    for method in ("GET", "POST"):
        rsps.add_callback(method, KRX_URL, callback=callback)
    return replay
