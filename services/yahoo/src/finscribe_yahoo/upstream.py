"""The one place that calls yfinance: its session, its global switches, its errors.

Every call runs in the `yahoo` thread pool with a deadline, after the minimum gap between
upstream calls. yfinance's errors become the envelope's: 429 (Yahoo rate limit, after a
bounded backoff), 404 (Yahoo says the symbol has no data), 502 (unreachable, malformed
answer), 504 (timeout).

Code path per call (fewest upstream requests):
- chart (quote, FX, probe, history): `PriceHistory.history` -> one GET of
  `query2.finance.yahoo.com/v8/finance/chart/<symbol>`; `Ticker.history` would first make a
  second chart call just to learn the exchange time zone, so the time zone is passed in.
- search: `yfinance.Search` -> one GET of `query2.finance.yahoo.com/v1/finance/search`.
- once per process yfinance also fetches a cookie (`fc.yahoo.com`) and a crumb
  (`query1.finance.yahoo.com/v1/test/getcrumb`) before its first request.
"""

import asyncio
import datetime as dt
import logging
import math
import threading
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import pandas as pd
import requests
import yfinance
from yfinance.data import YfData
from yfinance.exceptions import YFDataException, YFPricesMissingError, YFRateLimitError
from yfinance.scrapers.history import PriceHistory

from finscribe_common.errors import ApiError, NotFound, RateLimited, UpstreamError, UpstreamTimeout
from finscribe_common.shared_state import SharedState
from finscribe_common.threads import run_blocking, thread_pool
from finscribe_common.throttle import Cooldown, MinIntervalThrottle
from finscribe_common.upstream_override import install_from_env
from finscribe_yahoo.config import YahooSettings
from finscribe_yahoo.schemas import Bar

logger = logging.getLogger("finscribe.yahoo.upstream")

T = TypeVar("T")

YAHOO_HOSTS = ("query1.finance.yahoo.com", "query2.finance.yahoo.com", "fc.yahoo.com", "guce.yahoo.com")
POOL = "yahoo"

_configure_lock = threading.Lock()
_configured_cache_dir: str | None = None


@dataclass
class Chart:
    """What one chart call returned: the bars and the meta block of Yahoo's answer."""

    symbol: str
    bars: list[Bar]
    meta: dict[str, Any]

    @property
    def timezone(self) -> str | None:
        tz = self.meta.get("exchangeTimezoneName")
        return tz if isinstance(tz, str) else None


class NoBars(Exception):
    """Yahoo answered with a chart but no bars in the range (weekend, holiday, before listing)."""


def configure_yfinance(settings: YahooSettings) -> None:
    """Process-wide yfinance switches (yfinance keeps them in module globals)."""
    global _configured_cache_dir
    # With hide_exceptions (the default) yfinance logs failures and returns an empty frame,
    # which would turn "Yahoo is down" into "no data".
    yfinance.config.debug.hide_exceptions = False
    # our thread deadline and rate-limit backoff are the retry policy
    yfinance.config.network.retries = 0
    # pandas deprecation noise from yfinance's own volume fill, once per call; not actionable here
    warnings.filterwarnings("ignore", category=FutureWarning, module=r"yfinance\.")
    with _configure_lock:
        if _configured_cache_dir is None:
            # yfinance otherwise writes its cookie and time zone caches under the user's home;
            # it reads the location once, so the first app in a process decides
            settings.cache_dir.mkdir(parents=True, exist_ok=True)
            yfinance.set_tz_cache_location(str(settings.cache_dir))
            _configured_cache_dir = str(settings.cache_dir)
        elif _configured_cache_dir != str(settings.cache_dir):
            logger.info("yfinance cache stays at %s (set once per process)", _configured_cache_dir)


def build_session(settings: YahooSettings) -> Any:
    """A requests or curl_cffi session, as YAHOO_HTTP_CLIENT says.

    FINSCRIBE_UPSTREAM_OVERRIDES can only redirect `requests`, so an override naming a Yahoo
    host switches to `requests` (with a warning) instead of silently calling the real Yahoo.
    """
    overrides = install_from_env()
    client = settings.yahoo_http_client
    if client == "curl_cffi" and any(host in overrides for host in YAHOO_HOSTS):
        logger.warning("FINSCRIBE_UPSTREAM_OVERRIDES names a Yahoo host: using requests instead of curl_cffi")
        client = "requests"
    if client == "curl_cffi":
        from curl_cffi import requests as curl_requests

        return curl_requests.Session(impersonate="chrome")
    session = requests.Session()
    # the same browser-like headers yfinance sets on its own requests fallback session
    session.headers.update(
        {
            "User-Agent": (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
                "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
            ),
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "Accept-Language": "en-US,en;q=0.5",
        }
    )
    return session


def clear_library_cache() -> None:
    """Drop yfinance's in-process response cache (an lru_cache of whole HTTP responses).

    yfinance keeps responses of past date ranges and searches with no expiry, shared by
    every app in the process, and keeps error and malformed responses too. Our TTL cache is
    the one cache: it is emptied before each library call, so an expired entry is really
    fetched again (adjusted closes change) and a retry after a failure is not served the
    same bad response.
    """
    YfData.cache_get.cache_clear()


def _nan_to_none(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) or math.isinf(number) else number


def frame_to_bars(frame: pd.DataFrame) -> list[Bar]:
    bars: list[Bar] = []
    for index, row in frame.iterrows():
        open_, high, low = (_nan_to_none(row.get(c)) for c in ("Open", "High", "Low"))
        close = _nan_to_none(row.get("Close"))
        adj_close = _nan_to_none(row.get("Adj Close"))
        raw_volume = row.get("Volume")
        volume: int | None = None if raw_volume is None or pd.isna(raw_volume) else int(raw_volume)
        # yfinance fills a missing volume with 0; when Yahoo sent no open/high/low either the bar
        # simply has no trading detail, and 0 would be a made-up figure
        if volume == 0 and open_ is None and high is None and low is None:
            volume = None
        date = index.date() if hasattr(index, "date") else dt.date.fromisoformat(str(index)[:10])
        bars.append(Bar(date=date, open=open_, high=high, low=low, close=close, adj_close=adj_close, volume=volume))
    return bars


def _plain_meta(history: PriceHistory) -> dict[str, Any]:
    # the raw dict, not get_history_metadata(): reading every key of that lazy wrapper makes
    # yfinance fetch intraday trading periods, one more upstream call we do not need
    raw = history._history_metadata or {}
    meta: dict[str, Any] = {}
    for key, value in raw.items():
        if isinstance(value, pd.Timestamp):
            meta[key] = value.to_pydatetime()
        elif isinstance(value, str | int | float | bool | list | type(None)):
            meta[key] = value
    return meta


class YahooUpstream:
    def __init__(self, settings: YahooSettings, session: Any | None = None, shared: SharedState | None = None) -> None:
        self.settings = settings
        configure_yfinance(settings)
        self.session = session if session is not None else build_session(settings)
        self.client_name = "curl_cffi" if type(self.session).__module__.startswith("curl_cffi") else "requests"
        self.calls = 0  # library calls started (each is one data request, plus cookie/crumb once)
        # with Redis (REDIS_URL) the pacing and the cool-down after a 429 hold for every replica
        self.shared = shared or SharedState.disabled()
        self.throttle = MinIntervalThrottle(settings.yahoo_min_interval_s, name="yahoo", shared=self.shared)
        self.cooldown = Cooldown("yahoo", shared=self.shared)
        thread_pool(POOL, settings.yahoo_max_workers)

    # --- the calls ---------------------------------------------------------------------------

    async def chart_recent(self, symbol: str) -> Chart:
        """The last five daily bars and the live meta (price, time, currency, exchange, time zone)."""
        return await self._call(
            self._chart_blocking, symbol, None, None, None, "1d", what=f"Yahoo chart {symbol} (recent)"
        )

    async def chart_range(self, symbol: str, tz: str, start: dt.date, end_inclusive: dt.date, interval: str) -> Chart:
        return await self._call(
            self._chart_blocking,
            symbol,
            tz,
            start,
            end_inclusive,
            interval,
            what=f"Yahoo chart {symbol} {start}..{end_inclusive} {interval}",
        )

    async def search(self, query: str) -> list[dict[str, Any]]:
        return await self._call(self._search_blocking, query, what=f"Yahoo search {query!r}")

    # --- blocking bodies (run in the pool) ----------------------------------------------------

    def _chart_blocking(
        self, symbol: str, tz: str | None, start: dt.date | None, end_inclusive: dt.date | None, interval: str
    ) -> Chart:
        clear_library_cache()
        data = YfData(session=self.session)
        history = PriceHistory(data, symbol, tz, session=self.session)
        kwargs: dict[str, Any] = {
            "interval": interval,
            "auto_adjust": False,  # we return both close and adj_close
            "actions": False,
            "timeout": self.settings.yahoo_request_timeout_s,
        }
        if start is None or end_inclusive is None:
            kwargs["period"] = "5d"
        else:
            kwargs["start"] = start.isoformat()
            # yfinance's end is exclusive; ours is inclusive
            kwargs["end"] = (end_inclusive + dt.timedelta(days=1)).isoformat()
        try:
            frame = history.history(**kwargs)
        except YFPricesMissingError as exc:
            if exc.yahoo_reason is not None:
                raise NotFound(f"Yahoo Finance has no data for {symbol}: {exc.yahoo_reason}") from exc
            raise NoBars(str(exc)) from exc
        return Chart(symbol=symbol, bars=frame_to_bars(frame), meta=_plain_meta(history))

    def _search_blocking(self, query: str) -> list[dict[str, Any]]:
        clear_library_cache()
        found = yfinance.Search(
            query,
            max_results=self.settings.yahoo_search_max_results,
            news_count=0,
            lists_count=0,
            include_cb=False,
            recommended=0,
            session=self.session,
            timeout=self.settings.yahoo_request_timeout_s,
        )
        if not isinstance(found.response, dict) or "quotes" not in found.response:
            raise UpstreamError("Yahoo Finance search answered without a 'quotes' list")
        return list(found.quotes)

    # --- policy -------------------------------------------------------------------------------

    async def _call(self, func: Callable[..., T], *args: Any, what: str) -> T:
        await self._refuse_during_cooldown()
        attempts = self.settings.yahoo_rate_limit_retries + 1
        delay = self.settings.yahoo_rate_limit_backoff_s
        for attempt in range(1, attempts + 1):
            await self.throttle.wait()
            self.calls += 1
            try:
                return await run_blocking(func, *args, timeout=self.settings.yahoo_timeout_s, pool=POOL, what=what)
            except YFRateLimitError:
                clear_library_cache()
                logger.warning("Yahoo rate limit on %s (attempt %d of %d)", what, attempt, attempts)
                if attempt == attempts:
                    break
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)
            except (ApiError, NoBars):
                raise
            except Exception as exc:
                clear_library_cache()
                raise map_error(exc, what) from exc
        cooldown = self.settings.yahoo_rate_limit_cooldown_s
        await self.cooldown.start(cooldown)
        raise RateLimited(
            f"Yahoo Finance is rate limiting this server; try again in {max(1, int(cooldown))} s",
            code="upstream_rate_limited",
            retry_after=max(1.0, cooldown),
        )

    async def cooldown_remaining(self) -> float:
        return await self.cooldown.remaining()

    async def _refuse_during_cooldown(self) -> None:
        remaining = await self.cooldown_remaining()
        if remaining > 0:
            raise RateLimited(
                f"Yahoo Finance rate limited this server recently; calls resume in {int(remaining + 0.999)} s",
                code="upstream_rate_limited",
                retry_after=remaining,
            )


def _class_names(exc: BaseException) -> set[str]:
    return {cls.__name__ for cls in type(exc).__mro__}


def map_error(exc: BaseException, what: str) -> ApiError:
    """yfinance, requests and curl_cffi failures -> the envelope's 502/504."""
    names = _class_names(exc)
    if "Timeout" in names or "TimeoutError" in names or "ReadTimeout" in names:
        return UpstreamTimeout(f"{what}: Yahoo Finance did not answer in time")
    if "ConnectionError" in names or "ConnectionRefusedError" in names:
        return UpstreamError(f"{what}: Yahoo Finance is unreachable ({type(exc).__name__})")
    if "JSONDecodeError" in names:
        return UpstreamError(f"{what}: Yahoo Finance sent a body that is not JSON")
    if isinstance(exc, YFDataException):
        return UpstreamError(f"{what}: {exc}")
    if isinstance(exc, KeyError | TypeError | IndexError | ValueError | AttributeError):
        logger.warning("unexpected Yahoo answer for %s: %r", what, exc)
        return UpstreamError(f"{what}: Yahoo Finance sent an answer in an unexpected shape")
    logger.warning("Yahoo call failed for %s: %r", what, exc)
    return UpstreamError(f"{what}: Yahoo Finance call failed ({type(exc).__name__})")
