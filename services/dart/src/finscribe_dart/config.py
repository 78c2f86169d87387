"""Settings of the dart service (environment variables, documented in services/dart/README.md)."""

from pathlib import Path
from typing import Annotated

from fastapi import Depends
from pydantic import Field, SecretStr

from finscribe_common.deps import settings_dependency
from finscribe_common.settings import ServiceSettings


class DartSettings(ServiceSettings):
    dart_api_key: SecretStr | None = Field(default=None, validation_alias="DART_API_KEY")
    # Open DART allows 20,000 requests per key per day (reset at midnight KST).
    dart_daily_limit: int = Field(default=20_000, ge=1, validation_alias="DART_DAILY_LIMIT")
    # Open DART blocks an IP for 24 h above about 1,000 requests a minute; 0.1 s keeps us at 600.
    dart_min_interval_s: float = Field(default=0.1, ge=0, validation_alias="DART_MIN_INTERVAL_S")
    # after DART's status 020 (or HTTP 429): refuse without calling DART for this long,
    # on every replica when REDIS_URL is set
    dart_rate_limit_cooldown_s: float = Field(default=60.0, ge=0, validation_alias="DART_RATE_LIMIT_COOLDOWN_S")
    dart_timeout_s: float = Field(default=15.0, gt=0, validation_alias="DART_TIMEOUT_S")
    dart_corp_codes_timeout_s: float = Field(default=120.0, gt=0, validation_alias="DART_CORP_CODES_TIMEOUT_S")
    dart_corp_codes_max_age_h: float = Field(default=24.0, gt=0, validation_alias="DART_CORP_CODES_MAX_AGE_H")
    dart_corp_codes_retry_s: float = Field(default=600.0, ge=0, validation_alias="DART_CORP_CODES_RETRY_S")
    dart_cache_dir: Path | None = Field(default=None, validation_alias="DART_CACHE_DIR")
    dart_financials_ttl_s: float = Field(default=86_400.0, ge=0, validation_alias="DART_FINANCIALS_TTL_S")
    dart_no_data_ttl_s: float = Field(default=3_600.0, ge=0, validation_alias="DART_NO_DATA_TTL_S")
    dart_filings_ttl_s: float = Field(default=600.0, ge=0, validation_alias="DART_FILINGS_TTL_S")
    dart_filings_past_ttl_s: float = Field(default=86_400.0, ge=0, validation_alias="DART_FILINGS_PAST_TTL_S")
    dart_cache_max_entries: int = Field(default=2_048, ge=1, validation_alias="DART_CACHE_MAX_ENTRIES")
    dart_preload_corp_codes: bool = Field(default=True, validation_alias="DART_PRELOAD_CORP_CODES")
    dart_max_workers: int = Field(default=4, ge=1, validation_alias="DART_MAX_WORKERS")

    @property
    def api_key(self) -> str | None:
        if self.dart_api_key is None:
            return None
        return self.dart_api_key.get_secret_value().strip() or None

    @property
    def cache_dir(self) -> Path:
        return self.dart_cache_dir or (self.data_dir / "dart")


SettingsDep = Annotated[DartSettings, Depends(settings_dependency(DartSettings))]
