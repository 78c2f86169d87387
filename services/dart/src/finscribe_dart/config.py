"""Settings of the dart service (environment variables, documented in services/dart/README.md)."""

from pathlib import Path
from typing import Annotated

from fastapi import Depends
from pydantic import Field, SecretStr

from finscribe_common.deps import settings_dependency
from finscribe_common.settings import ServiceSettings


class DartSettings(ServiceSettings):
    dart_api_key: SecretStr | None = Field(
        default=None, description="Open DART API key (40 characters). Unset: data routes answer 503 `not_configured`."
    )
    # Open DART allows 20,000 requests per key per day (reset at midnight KST).
    dart_daily_limit: int = Field(
        default=20_000,
        ge=1,
        description=(
            "requests per day this process may send with the key (Open DART's limit is 20,000/day per "
            "key, reset at midnight KST); beyond it 429 before calling DART. With `REDIS_URL` it is one"
            " count for every process and replica using the key; without it, per process (with N "
            "workers set it to 20000/N)."
        ),
    )
    # Open DART blocks an IP for 24 h above about 1,000 requests a minute; 0.1 s keeps us at 600.
    dart_min_interval_s: float = Field(
        default=0.1,
        ge=0,
        description=(
            "minimum gap between two DART requests (Open DART blocks an IP for 24 h above ~1,000 "
            "requests a minute). Replaces dart-fss's own 0.2 s in-thread sleep, which we switch off."
        ),
    )
    # after DART's status 020 (or HTTP 429): refuse without calling DART for this long,
    # on every replica when REDIS_URL is set
    dart_rate_limit_cooldown_s: float = Field(
        default=60.0,
        ge=0,
        description=(
            "after status 020 or HTTP 429: refuse (429) without calling DART for this long; every "
            "replica with `REDIS_URL`"
        ),
    )
    dart_timeout_s: float = Field(
        default=15.0,
        gt=0,
        description="timeout of one DART JSON request (requests' timeout; the thread deadline is 2 s longer)",
    )
    dart_corp_codes_timeout_s: float = Field(
        default=120.0, gt=0, description="timeout of the corp code list download (~1.9 MB zip)"
    )
    dart_corp_codes_max_age_h: float = Field(
        default=24.0,
        gt=0,
        description=(
            "re-download the corp code list when the cached copy is older (in the background once one is in memory)"
        ),
    )
    dart_corp_codes_retry_s: float = Field(
        default=600.0,
        ge=0,
        description="after a failed list download, wait this long before trying again (the stale list keeps serving)",
    )
    dart_cache_dir: Path | None = Field(
        default=None, description="where `corpCode.zip` is kept (unset: `$FINSCRIBE_DATA_DIR/dart`)"
    )
    dart_financials_ttl_s: float = Field(
        default=86_400.0, ge=0, description="cache time of a statement (reports change only by correction filings)"
    )
    dart_no_data_ttl_s: float = Field(
        default=3_600.0, ge=0, description='cache time of a "no such statement" (013) answer'
    )
    dart_filings_ttl_s: float = Field(
        default=600.0, ge=0, description="cache time of a filings search whose range reaches today"
    )
    dart_filings_past_ttl_s: float = Field(
        default=86_400.0, ge=0, description="cache time of a filings search over past days only"
    )
    dart_cache_max_entries: int = Field(
        default=2_048, ge=1, description="entries in the in-memory response cache (LRU)"
    )
    dart_preload_corp_codes: bool = Field(
        default=True,
        description=(
            "load (or download) the corp code list in the background at startup, so the first resolve "
            "does not wait for it"
        ),
    )
    dart_max_workers: int = Field(default=4, ge=1, description="threads for blocking dart-fss calls")

    @property
    def api_key(self) -> str | None:
        if self.dart_api_key is None:
            return None
        return self.dart_api_key.get_secret_value().strip() or None

    @property
    def cache_dir(self) -> Path:
        return self.dart_cache_dir or (self.data_dir / "dart")


SettingsDep = Annotated[DartSettings, Depends(settings_dependency(DartSettings))]
