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
    yahoo_http_client: HttpClient = Field(default="curl_cffi", validation_alias="YAHOO_HTTP_CLIENT")
    # Yahoo has no published limit; bursts from one IP get 429s within seconds, so space calls out.
    yahoo_min_interval_s: float = Field(default=0.5, ge=0, validation_alias="YAHOO_MIN_INTERVAL_S")
    # deadline of one whole library call (cookie + crumb + data request) run in a thread
    yahoo_timeout_s: float = Field(default=20.0, gt=0, validation_alias="YAHOO_TIMEOUT_S")
    # per-HTTP-request timeout handed to yfinance
    yahoo_request_timeout_s: float = Field(default=10.0, gt=0, validation_alias="YAHOO_REQUEST_TIMEOUT_S")
    yahoo_rate_limit_retries: int = Field(default=2, ge=0, le=5, validation_alias="YAHOO_RATE_LIMIT_RETRIES")
    yahoo_rate_limit_backoff_s: float = Field(default=2.0, ge=0, validation_alias="YAHOO_RATE_LIMIT_BACKOFF_S")
    # after Yahoo keeps saying 429, stop calling it for this long (answer 429 at once)
    yahoo_rate_limit_cooldown_s: float = Field(default=60.0, ge=0, validation_alias="YAHOO_RATE_LIMIT_COOLDOWN_S")
    yahoo_quote_ttl_s: float = Field(default=60.0, ge=0, validation_alias="YAHOO_QUOTE_TTL_S")
    yahoo_recent_history_ttl_s: float = Field(default=300.0, ge=0, validation_alias="YAHOO_RECENT_HISTORY_TTL_S")
    # adjusted closes of past bars change whenever a dividend goes ex, so "past" is cached for a day, not forever
    yahoo_past_history_ttl_s: float = Field(default=86_400.0, ge=0, validation_alias="YAHOO_PAST_HISTORY_TTL_S")
    yahoo_symbol_ttl_s: float = Field(default=7 * 86_400.0, ge=0, validation_alias="YAHOO_SYMBOL_TTL_S")
    yahoo_search_ttl_s: float = Field(default=86_400.0, ge=0, validation_alias="YAHOO_SEARCH_TTL_S")
    yahoo_max_range_days: int = Field(default=3_660, ge=1, validation_alias="YAHOO_MAX_RANGE_DAYS")
    yahoo_search_max_results: int = Field(default=8, ge=1, le=25, validation_alias="YAHOO_SEARCH_MAX_RESULTS")
    # decide .KS/.KQ from the built-in table of listings before probing Yahoo
    yahoo_use_listing_table: bool = Field(default=True, validation_alias="YAHOO_USE_LISTING_TABLE")
    yahoo_cache_dir: Path | None = Field(default=None, validation_alias="YAHOO_CACHE_DIR")
    yahoo_cache_max_entries: int = Field(default=2_048, ge=1, validation_alias="YAHOO_CACHE_MAX_ENTRIES")
    yahoo_max_workers: int = Field(default=4, ge=1, validation_alias="YAHOO_MAX_WORKERS")

    @property
    def cache_dir(self) -> Path:
        """Where yfinance keeps its own cookie and timezone caches (it defaults to the user's home)."""
        return self.yahoo_cache_dir or (self.data_dir / "yfinance")


SettingsDep = Annotated[YahooSettings, Depends(settings_dependency(YahooSettings))]
