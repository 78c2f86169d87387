"""Orchestrator settings (environment variables; the dependency handing them out is in deps.py)."""

import datetime as dt

from pydantic import Field

from finscribe_common.settings import ServiceSettings


class OrchestratorSettings(ServiceSettings):
    max_concurrency: int = Field(default=6, ge=1, le=64, validation_alias="ORCH_MAX_CONCURRENCY")
    section_timeout_s: float = Field(default=180.0, gt=0, validation_alias="ORCH_SECTION_TIMEOUT_S")
    llm_timeout_s: float = Field(default=120.0, gt=0, validation_alias="ORCH_LLM_TIMEOUT_S")
    data_timeout_s: float = Field(default=30.0, gt=0, validation_alias="ORCH_DATA_TIMEOUT_S")
    file_timeout_s: float = Field(default=30.0, gt=0, validation_alias="ORCH_FILE_TIMEOUT_S")
    llm_route: str = Field(default="auto", validation_alias="ORCH_LLM_ROUTE")
    # a ceiling on one answer: a weak model that never stops must not run to its context's end
    llm_max_tokens: int = Field(default=4096, ge=16, le=65536, validation_alias="ORCH_LLM_MAX_TOKENS")
    price_history_days: int = Field(default=365, ge=20, le=3660, validation_alias="ORCH_PRICE_HISTORY_DAYS")
    max_csv_bytes: int = Field(default=20 * 1024 * 1024, gt=0, validation_alias="ORCH_MAX_CSV_BYTES")
    max_csv_rows: int = Field(default=100_000, gt=0, validation_alias="ORCH_MAX_CSV_ROWS")
    paragraph_max_retrievals: int = Field(default=2, ge=1, le=4, validation_alias="ORCH_PARAGRAPH_MAX_RETRIEVALS")
    ask_max_tool_steps: int = Field(default=4, ge=1, le=8, validation_alias="ORCH_ASK_MAX_TOOL_STEPS")
    chart_font: str | None = Field(default=None, validation_alias="ORCH_CHART_FONT")
    checkpoint_url: str | None = Field(
        default=None,
        validation_alias="ORCH_CHECKPOINT_URL",
        description="sqlite:///<path> (default: <FINSCRIBE_DATA_DIR>/orchestrator-checkpoints.sqlite) or postgresql://…",
    )
    # the as-of date of runs that name none (default: today in Korea); demo mode sets the
    # last recorded day, so a run on the recordings reads them as current
    default_as_of: dt.date | None = Field(default=None, validation_alias="ORCH_DEFAULT_AS_OF")
