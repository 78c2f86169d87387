"""Gateway settings (environment variables; see gateway/README.md for the table)."""

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import NoDecode

from finscribe_common.contract.runs import PROMPT_MAX_CHARS
from finscribe_common.settings import ServiceSettings


def _split_list(value: object) -> object:
    # pydantic-settings would insist on JSON for list fields; operators write comma lists.
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


class GatewaySettings(ServiceSettings):
    auth_mode: Literal["google", "dev"] = Field(default="google", validation_alias="AUTH_MODE")
    google_client_ids: Annotated[list[str], NoDecode, Field(default_factory=list, validation_alias="GOOGLE_CLIENT_IDS")]
    google_jwks_url: str = Field(
        default="https://www.googleapis.com/oauth2/v3/certs", validation_alias="GOOGLE_JWKS_URL"
    )
    google_tokeninfo_url: str = Field(
        default="https://oauth2.googleapis.com/tokeninfo", validation_alias="GOOGLE_TOKENINFO_URL"
    )
    jwks_refetch_min_interval_s: float = Field(
        default=60.0, ge=0, validation_alias="GOOGLE_JWKS_REFETCH_MIN_INTERVAL_S"
    )
    database_url: str | None = Field(default=None, validation_alias="DATABASE_URL")
    max_upload_mb: float = Field(default=20.0, gt=0, validation_alias="MAX_UPLOAD_MB")
    max_json_body_kb: int = Field(default=1024, gt=0, validation_alias="MAX_JSON_BODY_KB")
    # an outer bound only: rag limits by text size and parse time (annual reports run to 500+ pages)
    max_pdf_pages: int = Field(default=2000, gt=0, validation_alias="MAX_PDF_PAGES")
    max_csv_rows: int = Field(default=100_000, gt=0, validation_alias="MAX_CSV_ROWS")
    max_csv_columns: int = Field(default=1000, gt=0, validation_alias="MAX_CSV_COLUMNS")
    max_csv_cells: int = Field(default=2_000_000, gt=0, validation_alias="MAX_CSV_CELLS")
    max_files_per_session: int = Field(default=20, gt=0, validation_alias="MAX_FILES_PER_SESSION")
    max_prompt_chars: int = Field(
        default=PROMPT_MAX_CHARS, gt=0, le=PROMPT_MAX_CHARS, validation_alias="MAX_PROMPT_CHARS"
    )
    runs_per_minute: int = Field(default=10, gt=0, validation_alias="RUNS_PER_MINUTE")
    max_concurrent_runs: int = Field(default=2, gt=0, validation_alias="MAX_CONCURRENT_RUNS")
    allowed_origins: Annotated[list[str], NoDecode, Field(default_factory=list, validation_alias="ALLOWED_ORIGINS")]
    chart_url_ttl: int = Field(default=86_400, gt=0, validation_alias="CHART_URL_TTL")
    max_chart_bytes: int = Field(default=5 * 1024 * 1024, gt=0, validation_alias="MAX_CHART_BYTES")
    public_base_url: str = Field(default="http://127.0.0.1:8000", validation_alias="PUBLIC_BASE_URL")
    run_timeout_s: float = Field(default=600.0, gt=0, validation_alias="RUN_TIMEOUT_S")
    run_heartbeat_s: float = Field(default=15.0, gt=0, validation_alias="RUN_SSE_HEARTBEAT_S")
    run_stale_s: float = Field(default=60.0, gt=0, validation_alias="RUN_STALE_S")
    run_resume_attempts: int = Field(default=3, ge=0, le=10, validation_alias="RUN_RESUME_ATTEMPTS")
    run_resume_backoff_s: float = Field(default=1.0, ge=0, validation_alias="RUN_RESUME_BACKOFF_S")
    run_review_ttl_s: float = Field(default=3 * 86_400.0, gt=0, validation_alias="RUN_REVIEW_TTL_S")
    # how long a run's event stream stays in Redis after its last event (re-attach on any replica)
    run_events_retention_s: float = Field(default=900.0, gt=0, validation_alias="RUN_EVENTS_RETENTION_S")
    shutdown_grace_s: float = Field(default=10.0, ge=0, validation_alias="SHUTDOWN_GRACE_S")
    history_runs: int = Field(default=6, ge=0, validation_alias="RUN_HISTORY_RUNS")
    files_dir: Path | None = Field(default=None, validation_alias="FILES_DIR")
    rag_ingest_timeout_s: float = Field(default=300.0, gt=0, validation_alias="RAG_INGEST_TIMEOUT_S")
    rag_index_wait_s: float = Field(default=20.0, ge=0, validation_alias="RAG_INDEX_WAIT_S")
    rag_sweep_s: float = Field(default=600.0, ge=0, validation_alias="RAG_SWEEP_S")

    @field_validator("google_client_ids", "allowed_origins", mode="before")
    @classmethod
    def _comma_list(cls, value: object) -> object:
        return _split_list(value)

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite+aiosqlite:///{self.data_dir / 'gateway.db'}"

    @property
    def resolved_files_dir(self) -> Path:
        return self.files_dir or self.data_dir / "files"

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)
