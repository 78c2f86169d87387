"""Register the Yahoo replay on a `responses.RequestsMock` the caller owns, counting calls."""

import re
import threading
from collections import Counter
from dataclasses import dataclass, field

import responses
from requests import PreparedRequest

from finscribe_testkit.yahoo.replay import Handler, Reply, handle, kind_of

# every Yahoo host yfinance talks to: query1/query2.finance, fc, guce, consent
YAHOO_URL = re.compile(r"^https?://([a-z0-9-]+\.)*yahoo\.com(:\d+)?(/.*)?$")


@dataclass
class YahooCallCounter:
    """Upstream requests seen, by kind (chart, search, cookie, crumb, consent, other)."""

    calls: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, method, url)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def record(self, kind: str, method: str, url: str) -> None:
        with self._lock:
            self.calls.append((kind, method, url))

    @property
    def total(self) -> int:
        return len(self.calls)

    @property
    def by_kind(self) -> Counter[str]:
        return Counter(kind for kind, _, _ in self.calls)

    @property
    def data_calls(self) -> int:
        """Requests for data (chart + search): what caching and single-flight must save."""
        kinds = self.by_kind
        return kinds["chart"] + kinds["search"]

    def urls(self, kind: str) -> list[str]:
        return [url for k, _, url in self.calls if k == kind]

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()


def register_yahoo_replay(
    rsps: responses.RequestsMock, handler: Handler = handle, counter: YahooCallCounter | None = None
) -> YahooCallCounter:
    """Answer every Yahoo request on `rsps` with `handler` (default: the recorded replay).

    A test injects faults by passing its own handler that wraps `handle` (it may also raise,
    e.g. `requests.exceptions.ReadTimeout`, which reaches yfinance as the real error would).
    """
    counter = counter or YahooCallCounter()

    def callback(request: PreparedRequest) -> Reply:
        url = request.url or ""
        method = request.method or "GET"
        counter.record(kind_of(url), method, url)
        raw = request.body
        if not (raw is None or isinstance(raw, bytes | str)):  # requests prepares bytes or str here
            raise TypeError(f"the Yahoo replay cannot read a streamed request body ({type(raw).__name__})")
        body = raw.encode() if isinstance(raw, str) else raw
        return handler(method, url, None, body)

    # GET only: yfinance POSTs solely to submit an EU consent form, which the replay never shows,
    # and an unused POST registration would fail callers whose mock asserts all were fired
    rsps.add_callback(responses.GET, YAHOO_URL, callback=callback, content_type=None)
    return counter
