"""Yahoo Finance's HTTP protocol, replayed from the real recordings (see `recordings`).

`handle(method, url, params, body) -> (status, headers, body_bytes)` answers what yfinance
asks for, in Yahoo's shapes:

- `GET /v8/finance/chart/<symbol>` (query1/query2): `{"chart": {"result": [{"meta",
  "timestamp", "indicators": {"quote": [{open, high, low, close, volume}], "adjclose":
  [{adjclose}]}}], "error": null}}` for `range=` or `period1=`/`period2=` and `interval=`
  1d, 1wk or 1mo. `adjclose` carries the REAL recorded adjusted closes. Yahoo's raw
  `close`, `open`, `high`, `low` and `volume` were not recorded, so they are `null`, as
  Yahoo sends for values it lacks. Weekly and monthly bars are the recorded days grouped
  by week (Monday) or month, each carrying the last recorded adjusted close of its period.
  Bar timestamps are the session open in the exchange's time zone (09:00 KST, 09:30 New
  York), as Yahoo's daily bars are. The replay's clock stands at the last recorded day
  (2024-12-30 for 005930.KS, 2024-12-31 for the US symbols): `range=5d` is the last five
  recorded days, `meta.regularMarketPrice` is the last recorded adjusted close (for TSLA
  and ^IXIC, which paid no dividends, that is also the raw close) and
  `meta.regularMarketTime` that day's closing time. A range with no recorded day answers a
  result without `timestamp` (Yahoo's shape for "no bars"); a symbol not recorded answers
  Yahoo's 404 `{"chart": {"result": null, "error": {"code": "Not Found", "description":
  "No data found, symbol may be delisted"}}}`. FX symbols (`KRW=X`) were never recorded,
  so they are "Not Found" too: the replay serves no exchange rate.
- `GET /v1/finance/search`: the recorded symbols whose symbol or name contains `q`, in
  Yahoo's `quotes` item shape (names from the profiles, not recorded).
- `GET fc.yahoo.com/` sets the `A3` cookie and `GET /v1/test/getcrumb` returns a crumb:
  the cookie and crumb values are made up (they are opaque tokens, not data).
- `guce.yahoo.com/consent`: a page without a consent form (as outside the EU).
"""

import datetime as dt
import json
from collections.abc import Callable, Mapping
from email.utils import format_datetime
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit
from zoneinfo import ZoneInfo

from finscribe_testkit.yahoo.recordings import Profile, Series, load_recordings

Reply = tuple[int, dict[str, str], bytes]
Handler = Callable[[str, str, Mapping[str, Any] | None, bytes | None], Reply]

REPLAY_CRUMB = "replayCrumb0"
VALID_RANGES = ["1d", "5d", "1mo", "3mo", "6mo", "1y", "2y", "5y", "10y", "ytd", "max"]
_RANGE_DAYS = {"1mo": 31, "3mo": 92, "6mo": 183, "1y": 366, "2y": 731, "5y": 1827, "10y": 3653}
_JSON = {"Content-Type": "application/json;charset=utf-8"}


def _json(status: int, payload: Any) -> Reply:
    return status, dict(_JSON), json.dumps(payload, separators=(",", ":")).encode()


def _chart_error(status: int, code: str, description: str) -> Reply:
    return _json(status, {"chart": {"result": None, "error": {"code": code, "description": description}}})


def _epoch(day: dt.date, at: dt.time, tz: str) -> int:
    return int(dt.datetime.combine(day, at, tzinfo=ZoneInfo(tz)).timestamp())


def _period(profile: Profile, day: dt.date, start: dt.time, end: dt.time) -> dict[str, Any]:
    offset = dt.datetime.combine(day, start, tzinfo=ZoneInfo(profile.timezone)).utcoffset()
    abbrev = dt.datetime.combine(day, start, tzinfo=ZoneInfo(profile.timezone)).tzname()
    return {
        "timezone": abbrev,
        "start": _epoch(day, start, profile.timezone),
        "end": _epoch(day, end, profile.timezone),
        "gmtoffset": int(offset.total_seconds()) if offset else 0,
    }


class _Refusal(Exception):
    def __init__(self, reply: Reply) -> None:
        super().__init__("refused")
        self.reply = reply


def _select(series: Series, params: Mapping[str, str]) -> tuple[list[tuple[dt.date, float]], str]:
    """The recorded days a chart request covers, and the `range` Yahoo echoes in the meta."""
    rows = list(series.rows)
    tz = series.profile.timezone
    if "period1" in params or "period2" in params:
        try:
            first = int(params.get("period1", "0"))
            last = int(params.get("period2", str(_epoch(rows[-1][0], dt.time(23, 59), tz))))
        except ValueError as exc:
            raise _Refusal(
                _chart_error(400, "Bad Request", "Invalid input - period1 and period2 must be integers")
            ) from exc
        return [r for r in rows if first <= _epoch(r[0], series.profile.regular_start, tz) < last], ""
    span = params.get("range", "1mo")
    if span not in VALID_RANGES:
        raise _Refusal(_chart_error(422, "Unprocessable Entity", f"Invalid input - range={span} is not supported"))
    final = rows[-1][0]
    if span in ("1d", "5d"):
        return rows[-int(span[0]) :], span
    if span == "max":
        return rows, span
    if span == "ytd":
        return [r for r in rows if r[0].year == final.year], span
    since = final - dt.timedelta(days=_RANGE_DAYS[span])
    return [r for r in rows if r[0] > since], span


def _group(rows: list[tuple[dt.date, float]], interval: str) -> list[tuple[dt.date, float]]:
    if interval == "1d":
        return rows
    grouped: dict[dt.date, float] = {}
    for day, value in rows:
        key = day - dt.timedelta(days=day.weekday()) if interval == "1wk" else day.replace(day=1)
        grouped[key] = value  # rows are oldest first: the period keeps its last close
    return sorted(grouped.items())


def chart(symbol: str, params: Mapping[str, str]) -> Reply:
    series = load_recordings().get(symbol)
    if series is None:
        return _chart_error(404, "Not Found", "No data found, symbol may be delisted")
    interval = params.get("interval", "1d")
    if interval not in ("1d", "1wk", "1mo"):
        return _chart_error(
            422,
            "Unprocessable Entity",
            f"Invalid input - interval={interval} is not supported by this replay, which holds daily closes only",
        )
    try:
        rows, span = _select(series, params)
    except _Refusal as refusal:
        return refusal.reply
    profile = series.profile
    tz = profile.timezone
    all_rows = series.rows
    last_day, last_close = all_rows[-1]
    before = [r for r in all_rows if rows and r[0] < rows[0][0]]
    meta: dict[str, Any] = {
        "currency": profile.currency,
        "symbol": symbol,
        "exchangeName": profile.exchange_name,
        "fullExchangeName": profile.full_exchange_name,
        "instrumentType": profile.instrument_type,
        "firstTradeDate": None,
        "regularMarketTime": _epoch(last_day, profile.last_trade, tz),
        "hasPrePostMarketData": profile.currency == "USD",
        "gmtoffset": _period(profile, last_day, profile.regular_start, profile.regular_end)["gmtoffset"],
        "timezone": _period(profile, last_day, profile.regular_start, profile.regular_end)["timezone"],
        "exchangeTimezoneName": tz,
        "regularMarketPrice": last_close,
        "longName": profile.long_name,
        "shortName": profile.short_name,
        "chartPreviousClose": before[-1][1] if before else None,
        "priceHint": 2,
        "currentTradingPeriod": {
            "pre": _period(profile, last_day, profile.pre_start, profile.regular_start),
            "regular": _period(profile, last_day, profile.regular_start, profile.regular_end),
            "post": _period(profile, last_day, profile.regular_end, profile.post_end),
        },
        "dataGranularity": interval,
        "range": span,
        "validRanges": VALID_RANGES,
    }
    bars = _group(rows, interval)
    result: dict[str, Any] = {"meta": meta}
    if bars:
        nulls: list[None] = [None] * len(bars)
        result["timestamp"] = [_epoch(day, profile.regular_start, tz) for day, _ in bars]
        result["indicators"] = {
            "quote": [{"open": nulls, "high": nulls, "low": nulls, "close": nulls, "volume": nulls}],
            "adjclose": [{"adjclose": [value for _, value in bars]}],
        }
    else:
        result["indicators"] = {"quote": [{}], "adjclose": [{}]}
    return _json(200, {"chart": {"result": [result], "error": None}})


def search(params: Mapping[str, str]) -> Reply:
    query = params.get("q", "").strip().casefold()
    try:
        limit = int(params.get("quotesCount", "8"))
    except ValueError:
        limit = 8
    quotes: list[dict[str, Any]] = []
    if query:
        for symbol, series in load_recordings().items():
            profile = series.profile
            haystack = f"{symbol} {profile.long_name} {profile.short_name}".casefold()
            if query not in haystack:
                continue
            kind = profile.instrument_type
            quotes.append(
                {
                    "exchange": profile.exchange_name,
                    "shortname": profile.short_name,
                    "quoteType": kind,
                    "symbol": symbol,
                    "index": "quotes",
                    "score": 20000.0 if symbol.casefold() == query else 1000.0,
                    "typeDisp": kind.title(),
                    "longname": profile.long_name,
                    "exchDisp": profile.full_exchange_name,
                    "isYahooFinance": True,
                }
            )
    quotes.sort(key=lambda q: -q["score"])
    quotes = quotes[:limit]
    payload = {
        "explains": [],
        "count": len(quotes),
        "quotes": quotes,
        "news": [],
        "nav": [],
        "lists": [],
        "researchReports": [],
        "screenerFieldResults": [],
    }
    return _json(200, payload)


def _cookie() -> Reply:
    expires = dt.datetime.now(dt.UTC) + dt.timedelta(days=365)
    headers = {
        "Content-Type": "text/html; charset=utf-8",
        "Set-Cookie": (
            f"A3=d=AQABBReplay&S=AQAAAReplay; Expires={format_datetime(expires, usegmt=True)}; "
            "Max-Age=31557600; Domain=.yahoo.com; Path=/; Secure; HttpOnly; SameSite=None"
        ),
    }
    # fc.yahoo.com really answers 404 with the cookie set; yfinance only wants the cookie
    return 404, headers, b"<html><body>Not Found</body></html>"


def kind_of(url: str) -> str:
    """What a request is for: chart, search, cookie, crumb, consent or other (for counters)."""
    parts = urlsplit(url)
    path = unquote(parts.path)
    if path.startswith("/v8/finance/chart/"):
        return "chart"
    if path.startswith("/v1/finance/search"):
        return "search"
    if path.startswith("/v1/test/getcrumb"):
        return "crumb"
    if "consent" in path or (parts.hostname or "").endswith(("guce.yahoo.com", "consent.yahoo.com")):
        return "consent"
    if (parts.hostname or "") == "fc.yahoo.com" or path in ("", "/"):
        return "cookie"
    return "other"


def handle(method: str, url: str, params: Mapping[str, Any] | None = None, body: bytes | None = None) -> Reply:
    """Answer one Yahoo request from the recordings (pure: no state, no I/O beyond the fixtures)."""
    parts = urlsplit(url)
    query: dict[str, str] = dict(parse_qsl(parts.query, keep_blank_values=True))
    for key, value in (params or {}).items():
        query[str(key)] = str(value[0] if isinstance(value, list | tuple) and value else value)
    kind = kind_of(url)
    if kind == "chart":
        symbol = unquote(parts.path)[len("/v8/finance/chart/") :].strip("/").upper()
        return chart(symbol, query)
    if kind == "search":
        return search(query)
    if kind == "crumb":
        return 200, {"Content-Type": "text/plain;charset=utf-8"}, REPLAY_CRUMB.encode()
    if kind == "consent":
        return 200, {"Content-Type": "text/html; charset=utf-8"}, b"<html><body>No consent needed</body></html>"
    if kind == "cookie":
        return _cookie()
    return _json(404, {"finance": {"result": None, "error": {"code": "Not Found", "description": "Not Found"}}})
