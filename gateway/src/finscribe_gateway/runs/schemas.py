import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

RunKind = Literal["draft", "paragraph", "rewrite", "chart", "ask"]
RunStatus = Literal["running", "completed", "failed", "cancelled"]
Language = Literal["ko", "en"]


class _Options(BaseModel):
    # unknown option keys pass through to the orchestrator: the extension and the
    # orchestrator can agree on new options without a gateway release
    model_config = ConfigDict(extra="allow")


class DraftOptions(_Options):
    company: str | None = Field(default=None, max_length=200)
    length: Literal["short", "standard", "long"] = "standard"
    sections: list[str] | None = Field(default=None, max_length=30)
    language: Language = "ko"
    as_of: dt.date | None = None


class ParagraphOptions(_Options):
    use_files: bool = True
    company: str | None = Field(default=None, max_length=200)
    language: Language = "ko"


class RewriteOptions(_Options):
    text: str = Field(min_length=1, max_length=50_000)
    mode: Literal["summarize", "expand", "polish", "formal", "translate_ko", "translate_en"]
    target_chars: int | None = Field(default=None, ge=1, le=50_000)


class ChartOptions(_Options):
    company: str | None = Field(default=None, max_length=200)
    file_id: str | None = Field(default=None, pattern=r"^[0-9a-f]{32}$")


class AskOptions(_Options):
    company: str | None = Field(default=None, max_length=200)


OPTIONS_BY_KIND: dict[str, type[_Options]] = {
    "draft": DraftOptions,
    "paragraph": ParagraphOptions,
    "rewrite": RewriteOptions,
    "chart": ChartOptions,
    "ask": AskOptions,
}


class RunCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: RunKind
    prompt: str = Field(default="", description="limited to MAX_PROMPT_CHARS characters")
    options: dict[str, Any] = Field(default_factory=dict)


class RunSummary(BaseModel):
    run_id: str
    kind: RunKind
    status: RunStatus
    prompt: str
    created_at: dt.datetime
    finished_at: dt.datetime | None = None


class RunOut(RunSummary):
    session_id: str
    options: dict[str, Any]
    result: dict[str, Any] | None = None
    error: dict[str, Any] | None = None
    usage: dict[str, Any] | None = None
    timings: dict[str, Any] | None = None


class RunPage(BaseModel):
    items: list[RunSummary]
    next_offset: int | None


def run_summary(row: dict[str, Any]) -> RunSummary:
    return RunSummary(
        run_id=row["id"],
        kind=row["kind"],
        status=row["status"],
        prompt=row["prompt"],
        created_at=row["created_at"],
        finished_at=row["finished_at"],
    )


def run_out(row: dict[str, Any]) -> RunOut:
    return RunOut(
        run_id=row["id"],
        session_id=row["session_id"],
        kind=row["kind"],
        status=row["status"],
        prompt=row["prompt"],
        options=row["options"] or {},
        result=row["result"],
        error=row["error"],
        usage=row["usage"],
        timings=row["timings"],
        created_at=row["created_at"],
        finished_at=row["finished_at"],
    )
