"""Orchestrator settings (environment variables; the dependency handing them out is in deps.py)."""

import datetime as dt

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from finscribe_common.settings import ServiceSettings


class OrchestratorSettings(ServiceSettings):
    """Every own variable is `ORCH_` + the field name in capitals (the kit's shared ones keep theirs)."""

    model_config = SettingsConfigDict(env_prefix="ORCH_")

    max_concurrency: int = Field(
        default=6, ge=1, le=64, description="LangGraph `max_concurrency` of a run (parallel sections)"
    )
    section_timeout_s: float = Field(
        default=180.0,
        gt=0,
        description="one section (stream + regeneration); on timeout a templated section and a warning",
    )
    llm_timeout_s: float = Field(default=120.0, gt=0, description="one LLM call")
    data_timeout_s: float = Field(default=30.0, gt=0, description="one call to krx/dart/yahoo/rag")
    file_timeout_s: float = Field(default=30.0, gt=0, description="downloading an uploaded file from the gateway")
    llm_route: str = Field(
        default="auto", description="the router route sent as `model` (`auto`, `fast`, `quality`, `provider:model`)"
    )
    # a ceiling on one answer: a weak model that never stops must not run to its context's end
    llm_max_tokens: int = Field(default=4096, ge=16, le=65536, description="ceiling on one LLM answer (`max_tokens`)")
    price_history_days: int = Field(default=365, ge=20, le=3660, description="price/index window of a draft")
    max_csv_bytes: int = Field(default=20 * 1024 * 1024, gt=0, description="largest CSV fetched")
    max_csv_rows: int = Field(default=100_000, gt=0, description="most CSV rows read")
    paragraph_max_retrievals: int = Field(
        default=2, ge=1, le=4, description="corrective-RAG retrievals before falling back to the data services"
    )
    ask_max_tool_steps: int = Field(default=4, ge=1, le=8, description="LLM tool rounds of an ask run")
    chart_font: str | None = Field(
        default=None,
        description=(
            "path of a TTF/OTF with Hangul for charts; else fonts-nanum, else Noto CJK (a loud log line"
            " when none) (unset: (Nanum Gothic))"
        ),
    )
    checkpoint_url: str | None = Field(
        default=None,
        description=(
            "where draft checkpoints live (`sqlite:///…` or `postgresql://…`) (unset: "
            "`sqlite:///<FINSCRIBE_DATA_DIR>/orchestrator-checkpoints.sqlite`)"
        ),
    )
    # the as-of date of runs that name none (default: today in Korea); demo mode sets the
    # last recorded day, so a run on the recordings reads them as current
    default_as_of: dt.date | None = Field(
        default=None,
        description=(
            "as-of date of a run whose options name none; `make demo` sets the last recorded trading "
            "day (unset: (today in Korea))"
        ),
    )
    # the demo's own variables (set by `finscribe up --demo`), named like the kit's FINSCRIBE_DEMO
    demo_recordings: str | None = Field(
        default=None,
        validation_alias="FINSCRIBE_DEMO_RECORDINGS",
        description=(
            "demo mode: what each replayed source really is and when it was recorded (JSON, "
            "finscribe_common.demo.provenance; `finscribe up --demo` sets it from the replays)"
        ),
    )
    demo_companies: str | None = Field(
        default=None,
        validation_alias="FINSCRIBE_DEMO_COMPANIES",
        description=(
            "demo mode: the companies the recordings hold (a run about another is refused, naming them); "
            "`finscribe up --demo` sets it"
        ),
    )
