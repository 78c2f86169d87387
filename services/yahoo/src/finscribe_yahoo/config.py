"""Settings of the yahoo service (environment variables, documented in services/yahoo/README.md)."""

from pathlib import Path
from typing import Annotated, Literal

from fastapi import Depends
from pydantic import Field

from finscribe_common.deps import settings_dependency
from finscribe_common.settings import ServiceSettings

HttpClient = Literal["curl_cffi", "requests"]


class YahooSettings(ServiceSettings):
    # curl_cffi impersonates Chrome's TLS fingerprint; Yahoo throttles or blocks plain `requests`
    # far sooner, so production keeps curl_cffi. Tests and the upstream override need `requests`.
    yahoo_http_client: HttpClient = Field(
        default="curl_cffi",
        description=(
            "`curl_cffi` (Chrome TLS fingerprint, what yfinance itself uses; Yahoo throttles plain "
            "`requests` much sooner) or `requests`. When `FINSCRIBE_UPSTREAM_OVERRIDES` names a Yahoo "
            "host, `requests` is used regardless (the override can only redirect `requests`)"
        ),
    )
    # Yahoo has no published limit; bursts from one IP get 429s within seconds, so space calls out.
    yahoo_min_interval_s: float = Field(default=0.5, ge=0, description="minimum gap between two Yahoo library calls")
    # deadline of one whole library call (cookie + crumb + data request) run in a thread
    yahoo_timeout_s: float = Field(
        default=20.0, gt=0, description="deadline of one library call (cookie + crumb + data request)"
    )
    # per-HTTP-request timeout handed to yfinance
    yahoo_request_timeout_s: float = Field(
        default=10.0, gt=0, description="timeout of each HTTP request yfinance makes"
    )
    yahoo_rate_limit_retries: int = Field(
        default=2, ge=0, le=5, description="retries after a Yahoo rate limit before answering 429 (0-5)"
    )
    yahoo_rate_limit_backoff_s: float = Field(
        default=2.0, ge=0, description="first backoff after a rate limit (doubles, max 30 s)"
    )
    # after Yahoo keeps saying 429, stop calling it for this long (answer 429 at once)
    yahoo_rate_limit_cooldown_s: float = Field(
        default=60.0,
        ge=0,
        description=(
            "after giving up on a rate limit: refuse (429) without calling Yahoo for this long (with "
            "`REDIS_URL`: every replica refuses)"
        ),
    )
    yahoo_quote_ttl_s: float = Field(default=60.0, ge=0, description="cache of quotes and FX rates")
    yahoo_recent_history_ttl_s: float = Field(
        default=300.0, ge=0, description="cache of history ranges that reach today"
    )
    # adjusted closes of past bars change whenever a dividend goes ex, so "past" is cached for a day, not forever
    yahoo_past_history_ttl_s: float = Field(
        default=86_400.0, ge=0, description="cache of history ranges that end before today"
    )
    yahoo_symbol_ttl_s: float = Field(
        default=7 * 86_400.0, ge=0, description="cache of KRX `.KS`/`.KQ` probes and exchange time zones"
    )
    yahoo_search_ttl_s: float = Field(default=86_400.0, ge=0, description="cache of Yahoo search answers")
    yahoo_max_range_days: int = Field(
        default=3_660, ge=1, description="longest history range per request (about 10 years)"
    )
    yahoo_search_max_results: int = Field(default=8, ge=1, le=25, description="quotes asked of Yahoo search (1-25)")
    # decide .KS/.KQ from the built-in table of listings before probing Yahoo
    yahoo_use_listing_table: bool = Field(
        default=True, description="decide `.KS`/`.KQ` from the built-in table before probing"
    )
    yahoo_cache_dir: Path | None = Field(
        default=None,
        description=(
            "where yfinance keeps its cookie and time zone caches (else the user's home); set once per "
            "process (unset: `$FINSCRIBE_DATA_DIR/yfinance`)"
        ),
    )
    yahoo_cache_max_entries: int = Field(default=2_048, ge=1, description="size of each in-memory cache")
    yahoo_max_workers: int = Field(default=4, ge=1, description="threads of the `yahoo` pool")

    @property
    def cache_dir(self) -> Path:
        """Where yfinance keeps its own cookie and timezone caches (it defaults to the user's home)."""
        return self.yahoo_cache_dir or (self.data_dir / "yfinance")


SettingsDep = Annotated[YahooSettings, Depends(settings_dependency(YahooSettings))]
