"""Settings of the krx service (environment variables, documented in services/krx/README.md)."""

from typing import Annotated

from fastapi import Depends
from pydantic import Field, SecretStr

from finscribe_common.deps import settings_dependency
from finscribe_common.settings import ServiceSettings


class KrxSettings(ServiceSettings):
    krx_id: str | None = Field(default=None, description="data.krx.co.kr member id; required for data")
    krx_pw: SecretStr | None = Field(default=None, description="data.krx.co.kr member password; required for data")
    # pykrx itself waits 1 s between its 2-year chunks ("초당 2년 데이터 조회"); KRX blocks
    # IPs that hammer getJsonData.cmd, so we keep at least this gap between any two calls.
    krx_min_interval_s: float = Field(
        default=1.0,
        ge=0,
        description=(
            "minimum gap between two KRX requests (process-wide; with `REDIS_URL` across every replica,"
            " Redis's clock), so KRX does not block the IP"
        ),
    )
    # one HTTP request to KRX (pykrx passes no timeout at all, so we add it to the session)
    krx_http_timeout_s: float = Field(
        default=15.0,
        gt=0,
        description="timeout of one HTTP request to KRX (pykrx sends none; we add it to its session)",
    )
    # one pykrx call as a whole (login + data), enforced around the worker thread
    krx_call_timeout_s: float = Field(
        default=40.0, gt=0, description="deadline of one pykrx call as a whole (worker thread) -> 504"
    )
    # KRX answers at most two years per request; pykrx splits at 730 days, and so do we,
    # so that pykrx never sleeps inside our worker thread.
    krx_chunk_days: int = Field(
        default=730,
        ge=1,
        le=730,
        description="longest range per KRX request (KRX/pykrx: two years); longer ranges are split",
    )
    krx_max_range_days: int = Field(
        default=3_660, ge=1, description="longest range a caller may ask for (about 10 years) -> 400 beyond"
    )
    # a range that ended before today is immutable; a range touching today changes intraday
    krx_ttl_past_s: float = Field(
        default=86_400.0,
        ge=0,
        description="cache lifetime of answers whose range ended before today (closed days do not change)",
    )
    krx_ttl_recent_s: float = Field(
        default=60.0, ge=0, description="cache lifetime of answers whose range includes today"
    )
    krx_cache_max_entries: int = Field(default=2_048, ge=1, description="cache size (least recently used goes first)")
    krx_max_workers: int = Field(default=4, ge=1, description="worker threads for pykrx calls")
    # after KRX refuses the password, wait this long before trying again (account lockout)
    krx_login_retry_s: float = Field(
        default=300.0,
        ge=0,
        description=(
            "after KRX refuses KRX_ID/KRX_PW, answer 502 without trying again for this long (repeated "
            "bad logins can lock the account)"
        ),
    )
    # pykrx keeps a login for an hour; we log in again a little earlier
    krx_session_max_age_s: float = Field(
        default=3_000.0, gt=0, description="log in again after this long (pykrx assumes a login lasts an hour)"
    )

    @property
    def credentials(self) -> tuple[str, str] | None:
        login = (self.krx_id or "").strip()
        password = self.krx_pw.get_secret_value() if self.krx_pw is not None else ""
        if not login or not password:
            return None
        return login, password


SettingsDep = Annotated[KrxSettings, Depends(settings_dependency(KrxSettings))]
