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
    auth_mode: Literal["google", "dev"] = Field(
        default="google",
        description="`google`: Google ID/access tokens; `dev`: `Bearer dev:<email>`, loopback binds only",
    )
    google_client_ids: Annotated[
        list[str],
        NoDecode,
        Field(
            default_factory=list,
            description="comma list of OAuth client ids accepted as `aud` (ID tokens) or `aud`/`azp` (access tokens)",
        ),
    ]
    google_jwks_url: str = Field(
        default="https://www.googleapis.com/oauth2/v3/certs", description="Google's signing keys"
    )
    google_tokeninfo_url: str = Field(
        default="https://oauth2.googleapis.com/tokeninfo", description="access-token check"
    )
    jwks_refetch_min_interval_s: float = Field(
        default=60.0,
        ge=0,
        validation_alias="GOOGLE_JWKS_REFETCH_MIN_INTERVAL_S",
        description="least time between JWKS refetches caused by an unknown `kid`",
    )
    database_url: str | None = Field(
        default=None,
        description=(
            "e.g. `mysql+aiomysql://user:pw@db:3306/finscribe?charset=utf8mb4`; TLS (RDS): add "
            "`&ssl_ca=/run/rds-ca.pem` (verified, hostname checked; `&ssl_check_hostname=false` for IP "
            "endpoints; `ssl_cert`/`ssl_key` for client certificates). MySQL sessions run at READ "
            "COMMITTED (see `db/engine.py`) (unset: "
            "`sqlite+aiosqlite:///<FINSCRIBE_DATA_DIR>/gateway.db`)"
        ),
    )
    max_upload_mb: float = Field(default=20.0, gt=0, description="largest uploaded file")
    max_json_body_kb: int = Field(default=1024, gt=0, description="largest JSON request body")
    # an outer bound only: rag limits by text size and parse time (annual reports run to 500+ pages)
    max_pdf_pages: int = Field(
        default=2000,
        gt=0,
        description=(
            "most pages in an uploaded PDF (an outer bound: rag limits by text size and parse time, so "
            "500-page annual reports pass)"
        ),
    )
    max_csv_rows: int = Field(default=100_000, gt=0, description="most data rows in an uploaded CSV")
    max_csv_columns: int = Field(default=1000, gt=0, description="most columns in an uploaded CSV")
    max_csv_cells: int = Field(default=2_000_000, gt=0, description="most cells (rows × columns) in an uploaded CSV")
    max_files_per_session: int = Field(default=20, gt=0, description="files a session may hold")
    max_prompt_chars: int = Field(default=PROMPT_MAX_CHARS, gt=0, le=PROMPT_MAX_CHARS, description="longest prompt")
    runs_per_minute: int = Field(default=10, gt=0, description="runs a user may start per minute")
    max_concurrent_runs: int = Field(default=2, gt=0, description="runs a user may have running at once")
    allowed_origins: Annotated[
        list[str],
        NoDecode,
        Field(default_factory=list, description="comma list of CORS origins, e.g. `chrome-extension://<extension id>`"),
    ]
    chart_url_ttl: int = Field(default=86_400, gt=0, description="seconds a chart URL works")
    max_chart_bytes: int = Field(
        default=5 * 1024 * 1024, gt=0, description="largest chart PNG accepted from the orchestrator"
    )
    public_base_url: str = Field(
        default="http://127.0.0.1:8000",
        description=(
            "public origin used to build chart URLs (Google fetches them for `insertInlineImage`, so in"
            " production the public https address)"
        ),
    )
    run_timeout_s: float = Field(
        default=600.0, gt=0, description="longest a run may take (also the longest silence on its stream)"
    )
    run_heartbeat_s: float = Field(
        default=15.0,
        gt=0,
        validation_alias="RUN_SSE_HEARTBEAT_S",
        description="seconds between SSE keep-alive comments when no event flows",
    )
    run_stale_s: float = Field(
        default=60.0,
        gt=0,
        description="a `running` run whose driver has not stamped it for this long is failed (`gateway_restarted`)",
    )
    run_resume_attempts: int = Field(
        default=3,
        ge=0,
        le=10,
        description="times a draft is continued on a live orchestrator after losing its orchestrator",
    )
    run_resume_backoff_s: float = Field(
        default=1.0, ge=0, description="first wait before continuing (doubles each attempt)"
    )
    run_review_ttl_s: float = Field(
        default=3 * 86_400.0,
        gt=0,
        description="how long a draft waits for its outline review before it fails with `review_expired`",
    )
    # how long a run's event stream stays in Redis after its last event (re-attach on any replica)
    run_events_retention_s: float = Field(
        default=900.0, gt=0, description="how long a run's events stay in Redis after its last one"
    )
    shutdown_grace_s: float = Field(
        default=10.0,
        ge=0,
        description="on shutdown, how long running runs may finish before they are failed (`gateway_shutdown`)",
    )
    history_runs: int = Field(
        default=6,
        ge=0,
        validation_alias="RUN_HISTORY_RUNS",
        description="completed runs sent to the orchestrator as history",
    )
    files_dir: Path | None = Field(
        default=None, description="where uploaded bytes are kept (unset: `<FINSCRIBE_DATA_DIR>/files`)"
    )
    rag_ingest_timeout_s: float = Field(
        default=1200.0,
        gt=0,
        description=(
            "how long rag may take to index one PDF (a 500-page filing is ~2,700 chunks: minutes with "
            "the e5 embeddings on 2 cores)"
        ),
    )
    rag_index_wait_s: float = Field(
        default=20.0, ge=0, description="how long the upload answer waits for indexing before answering `pending`"
    )
    rag_sweep_s: float = Field(
        default=600.0,
        ge=0,
        description="seconds between sweeps deleting rag vectors whose file or session is gone (0: off)",
    )

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
