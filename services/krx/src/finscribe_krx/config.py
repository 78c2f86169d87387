"""Settings of the krx service (environment variables, documented in services/krx/README.md)."""

from typing import Annotated

from fastapi import Depends
from pydantic import Field, SecretStr

from finscribe_common.deps import settings_dependency
from finscribe_common.settings import ServiceSettings


class KrxSettings(ServiceSettings):
    krx_id: str | None = Field(default=None, validation_alias="KRX_ID")
    krx_pw: SecretStr | None = Field(default=None, validation_alias="KRX_PW")
    # pykrx itself waits 1 s between its 2-year chunks ("초당 2년 데이터 조회"); KRX blocks
    # IPs that hammer getJsonData.cmd, so we keep at least this gap between any two calls.
    krx_min_interval_s: float = Field(default=1.0, ge=0, validation_alias="KRX_MIN_INTERVAL_S")
    # one HTTP request to KRX (pykrx passes no timeout at all, so we add it to the session)
    krx_http_timeout_s: float = Field(default=15.0, gt=0, validation_alias="KRX_HTTP_TIMEOUT_S")
    # one pykrx call as a whole (login + data), enforced around the worker thread
    krx_call_timeout_s: float = Field(default=40.0, gt=0, validation_alias="KRX_CALL_TIMEOUT_S")
    # KRX answers at most two years per request; pykrx splits at 730 days, and so do we,
    # so that pykrx never sleeps inside our worker thread.
    krx_chunk_days: int = Field(default=730, ge=1, le=730, validation_alias="KRX_CHUNK_DAYS")
    krx_max_range_days: int = Field(default=3_660, ge=1, validation_alias="KRX_MAX_RANGE_DAYS")
    # a range that ended before today is immutable; a range touching today changes intraday
    krx_ttl_past_s: float = Field(default=86_400.0, ge=0, validation_alias="KRX_TTL_PAST_S")
    krx_ttl_recent_s: float = Field(default=60.0, ge=0, validation_alias="KRX_TTL_RECENT_S")
    krx_cache_max_entries: int = Field(default=2_048, ge=1, validation_alias="KRX_CACHE_MAX_ENTRIES")
    krx_max_workers: int = Field(default=4, ge=1, validation_alias="KRX_MAX_WORKERS")
    # after KRX refuses the password, wait this long before trying again (account lockout)
    krx_login_retry_s: float = Field(default=300.0, ge=0, validation_alias="KRX_LOGIN_RETRY_S")
    # pykrx keeps a login for an hour; we log in again a little earlier
    krx_session_max_age_s: float = Field(default=3_000.0, gt=0, validation_alias="KRX_SESSION_MAX_AGE_S")

    @property
    def credentials(self) -> tuple[str, str] | None:
        login = (self.krx_id or "").strip()
        password = self.krx_pw.get_secret_value() if self.krx_pw is not None else ""
        if not login or not password:
            return None
        return login, password


SettingsDep = Annotated[KrxSettings, Depends(settings_dependency(KrxSettings))]
