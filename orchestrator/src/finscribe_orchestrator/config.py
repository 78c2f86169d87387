"""Orchestrator settings (environment variables) and the FastAPI dependencies that hand them out."""

import datetime as dt
from typing import Annotated

from fastapi import Depends, Request
from pydantic import Field

from finscribe_common.settings import ServiceSettings, ServiceUrls


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
    # demo mode: what each replayed source really is and when it was recorded (JSON,
    # finscribe_common.demo.provenance; `finscribe up --demo` sets it from the replays)
    demo_recordings: str | None = Field(default=None, validation_alias="FINSCRIBE_DEMO_RECORDINGS")
    # demo mode: the companies the recordings hold, as a run about another is refused with them
    demo_companies: str | None = Field(default=None, validation_alias="FINSCRIBE_DEMO_COMPANIES")


def get_settings(request: Request) -> OrchestratorSettings:
    return request.app.state.settings


def get_urls(request: Request) -> ServiceUrls:
    return request.app.state.urls


SettingsDep = Annotated[OrchestratorSettings, Depends(get_settings)]
UrlsDep = Annotated[ServiceUrls, Depends(get_urls)]
