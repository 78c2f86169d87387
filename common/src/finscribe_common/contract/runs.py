"""The run contract, defined once: run kinds, their options, the public request
(`POST /v1/sessions/{sid}/runs`), the gateway's request to the orchestrator
(`POST /v1/runs`) and the names of the run events.

The gateway validates the public request with `RunCreate`, builds `RunRequest` for the
orchestrator, and the orchestrator validates it again with the same models, so a request
the gateway accepts can never fail later on a limit (a 25,000-character rewrite, a
13-section draft). The extension's `run-request.js` is checked in its tests against the
JSON Schema exported from here (`run_contract_schema()`, committed as
`docs/run-contract.schema.json`).

Limits are in characters (Python `len`, i.e. code points), counts in items.
"""

import datetime as dt
import re
from typing import Annotated, Any, Final, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    TypeAdapter,
    field_validator,
    model_validator,
)

from finscribe_common.contract.templates import ReportTemplate, TemplateId
from finscribe_common.dates import IsoDate, latest_accepted

RunKind = Literal["draft", "paragraph", "rewrite", "chart", "ask"]
RUN_KINDS: Final[tuple[RunKind, ...]] = ("draft", "paragraph", "rewrite", "chart", "ask")
CHECKPOINTED_KINDS: Final[frozenset[str]] = frozenset({"draft"})
"""Kinds the orchestrator checkpoints (LangGraph): resumable after a review or a crash."""
Language = Literal["ko", "en"]
DraftLength = Literal["short", "standard", "long"]
FileStatus = Literal["pending", "indexed", "failed", "stored"]
"""A file's state: PDFs are `pending` until rag indexed them (`indexed`) or gave up (`failed`); CSVs are `stored`."""
RewriteMode = Literal["summarize", "expand", "polish", "formal", "translate_ko", "translate_en"]

PROMPT_MAX_CHARS: Final = 8_000
COMPANY_MAX_CHARS: Final = 100
PEERS_MIN: Final = 2
PEERS_MAX: Final = 5
SECTIONS_MAX: Final = 12
SECTION_TITLE_MAX_CHARS: Final = 200
REWRITE_TEXT_MAX_CHARS: Final = 20_000
TARGET_CHARS_MIN: Final = 20
TARGET_CHARS_MAX: Final = 20_000
FILE_ID_PATTERN: Final = r"^[0-9a-f]{32}$"
HISTORY_MARKDOWN_MAX_CHARS: Final = 20_000
COLLECTION_RE: Final = re.compile(r"^[a-z0-9][a-z0-9_-]{2,62}$")

REVIEW_INSTRUCTIONS_MAX_CHARS: Final = 2_000
REVIEW_PURPOSE_MAX_CHARS: Final = 500
REPORT_TITLE_MAX_CHARS: Final = 300
DATA_KEY_MAX_CHARS: Final = 100

# The events of a run stream, in the order they can appear (API.md, "Run events").
# `outline.review` then `run.waiting` end a stream whose draft waits for the user's outline
# (option `review_outline`); `POST /v1/runs/{run_id}/resume` continues the same run.
EventName = Literal[
    "run.started",
    "step",
    "outline.review",
    "section.delta",
    "section.done",
    "warning",
    "run.waiting",
    "run.completed",
    "run.failed",
]
TERMINAL_EVENTS: Final[frozenset[str]] = frozenset({"run.completed", "run.failed", "run.waiting"})
"""Events that end a stream: the run is over, or waits for the user (`run.waiting`, resumable)."""
OUTCOME_EVENTS: Final[frozenset[str]] = frozenset({"run.completed", "run.failed"})
"""Events that end a run for good."""

Company = Annotated[
    str, Field(min_length=1, max_length=COMPANY_MAX_CHARS, description="company name or 6-digit ticker")
]
FILES_MAX: Final = 100
"""At most this many files a run may be told to use (a session holds fewer)."""
FileIds = Annotated[
    list[Annotated[str, Field(pattern=FILE_ID_PATTERN)]],
    Field(
        max_length=FILES_MAX,
        description="the uploaded PDFs this run may read (ids of the session's files); omitted: all of them, []: none",
    ),
]
# YYYY-MM-DD only: pydantic's date would also take `0` (Unix seconds, 1970-01-01)
AS_OF_EARLIEST: Final = dt.date(1995, 5, 2)
"""The earliest `as_of`: KRX's first day of electronic records, before any data FinScribe reads."""


def _as_of_in_range(value: dt.date) -> dt.date:
    # a run reaches back a year or more from as_of: 0001-01-01 overflowed the date arithmetic
    # (internal_error mid-run) and 1990 or 2030 wrote a report of empty sections
    latest = latest_accepted(dt.date.today())
    if not AS_OF_EARLIEST <= value <= latest:
        raise ValueError(
            f"as_of must lie between {AS_OF_EARLIEST.isoformat()} (the first day of KRX's records) "
            f"and {latest.isoformat()} (the end of next year)"
        )
    return value


AsOf = Annotated[
    IsoDate,
    AfterValidator(_as_of_in_range),
    Field(description="the date the document is written as of (YYYY-MM-DD, from 1995-05-02 to the end of next year)"),
]


class _Options(BaseModel):
    # unknown options are refused: a typo in an option name must not silently do nothing
    model_config = ConfigDict(extra="forbid")


class DraftOptions(_Options):
    company: Company | None = None
    companies: list[Company] | None = Field(
        default=None,
        min_length=PEERS_MIN,
        max_length=PEERS_MAX,
        description="2-5 distinct companies a peer comparison covers (not with `company` or `sections`); "
        "the template defaults to `peer_comparison`",
    )
    length: DraftLength = "standard"
    sections: list[Annotated[str, Field(min_length=1, max_length=SECTION_TITLE_MAX_CHARS)]] | None = Field(
        default=None, max_length=SECTIONS_MAX, description="section titles the draft must use, in order"
    )
    language: Language = "ko"
    as_of: AsOf | None = None
    review_outline: StrictBool = Field(
        default=False,
        description="stop after the outline (event outline.review, status waiting) until "
        "POST /v1/runs/{run_id}/resume approves or edits it",
    )
    template: TemplateId | None = Field(
        default=None,
        description="a report template (GET /v1/templates): a built-in id or a saved one (u_…); "
        "its sections replace the model's outline",
    )
    file_ids: FileIds | None = None

    @field_validator("companies")
    @classmethod
    def _distinct_companies(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        names = [name.strip() for name in value]
        if any(not name for name in names):
            raise ValueError("a company name cannot be blank")
        # "기아" and " 기아" would be the same company twice: a comparison of a company with itself
        if len({name.casefold() for name in names}) != len(names):
            raise ValueError("companies must be distinct")
        return names

    @model_validator(mode="after")
    def _template_or_sections(self) -> "DraftOptions":
        if self.template is not None and self.sections:
            raise ValueError("give a template or sections, not both")
        if self.companies is not None and (self.company is not None or self.sections):
            raise ValueError("companies (a peer comparison) goes with neither company nor sections")
        return self


class ParagraphOptions(_Options):
    use_files: StrictBool = True
    company: Company | None = None
    language: Language = "ko"
    as_of: AsOf | None = None
    file_ids: FileIds | None = None


class RewriteOptions(_Options):
    text: str = Field(min_length=1, max_length=REWRITE_TEXT_MAX_CHARS, description="the passage to rewrite")
    mode: RewriteMode
    target_chars: int | None = Field(default=None, ge=TARGET_CHARS_MIN, le=TARGET_CHARS_MAX)
    language: Language = Field(
        default="ko", description="the language of the run's messages (warnings, steps); the text's own follows mode"
    )


class ChartOptions(_Options):
    company: Company | None = None
    file_id: str | None = Field(default=None, pattern=FILE_ID_PATTERN, description="a CSV file of the session")
    as_of: AsOf | None = None
    language: Language = Field(default="ko", description="the language of the chart's title, axes, legend and table")


class AskOptions(_Options):
    company: Company | None = None
    language: Language = "ko"
    as_of: AsOf | None = None
    file_ids: FileIds | None = None


RunOptions = DraftOptions | ParagraphOptions | RewriteOptions | ChartOptions | AskOptions

OPTIONS_BY_KIND: Final[dict[str, type[_Options]]] = {
    "draft": DraftOptions,
    "paragraph": ParagraphOptions,
    "rewrite": RewriteOptions,
    "chart": ChartOptions,
    "ask": AskOptions,
}


class _RunBase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    prompt: str = Field(default="", max_length=PROMPT_MAX_CHARS, description="the user's instruction")

    def _has_prompt(self) -> bool:
        return bool(self.prompt.strip())


class DraftRun(_RunBase):
    kind: Literal["draft"]
    options: DraftOptions = Field(default_factory=DraftOptions)

    @model_validator(mode="after")
    def _prompt_or_company(self) -> "DraftRun":
        if not self._has_prompt() and not self.options.company and not self.options.companies:
            raise ValueError("a draft run needs a prompt, options.company or options.companies")
        return self


class ParagraphRun(_RunBase):
    kind: Literal["paragraph"]
    options: ParagraphOptions = Field(default_factory=ParagraphOptions)

    @model_validator(mode="after")
    def _needs_prompt(self) -> "ParagraphRun":
        if not self._has_prompt():
            raise ValueError("a paragraph run needs a prompt")
        return self


class RewriteRun(_RunBase):
    kind: Literal["rewrite"]
    options: RewriteOptions


class ChartRun(_RunBase):
    kind: Literal["chart"]
    options: ChartOptions = Field(default_factory=ChartOptions)

    @model_validator(mode="after")
    def _needs_subject(self) -> "ChartRun":
        if not self._has_prompt() and not self.options.company and not self.options.file_id:
            raise ValueError("a chart run needs a prompt, options.company or options.file_id")
        return self


class AskRun(_RunBase):
    kind: Literal["ask"]
    options: AskOptions = Field(default_factory=AskOptions)

    @model_validator(mode="after")
    def _needs_prompt(self) -> "AskRun":
        if not self._has_prompt():
            raise ValueError("an ask run needs a prompt")
        return self


RunCreate = Annotated[DraftRun | ParagraphRun | RewriteRun | ChartRun | AskRun, Field(discriminator="kind")]
"""The public request body of `POST /v1/sessions/{sid}/runs`: `{kind, prompt, options}`."""

run_create_adapter: TypeAdapter[DraftRun | ParagraphRun | RewriteRun | ChartRun | AskRun] = TypeAdapter(RunCreate)


class UserRef(BaseModel):
    sub: str = Field(min_length=1, max_length=255, description="the Google account's stable id")


class FileRef(BaseModel):
    """A file of the session, as the orchestrator may read it (`url` is the gateway's internal route)."""

    file_id: str = Field(min_length=1, max_length=128)
    name: str = Field(default="", max_length=512)
    kind: Literal["pdf", "csv"]
    url: str = Field(min_length=1, max_length=2048)
    status: FileStatus | None = Field(default=None, description="PDF indexing state")


class HistoryItem(BaseModel):
    """An earlier completed run of the session, for follow-up requests."""

    run_id: str = ""
    kind: RunKind | Literal[""] = ""
    prompt: str = Field(default="", max_length=PROMPT_MAX_CHARS)
    markdown: str = Field(default="", max_length=HISTORY_MARKDOWN_MAX_CHARS)


class ReviewedSection(BaseModel):
    """One section of an outline the user approved: kept (its `section_id`), renamed,
    re-instructed, reordered (list order) or new (no `section_id`)."""

    model_config = ConfigDict(extra="forbid")

    section_id: str | None = Field(default=None, max_length=16, description="from outline.review; absent for a new one")
    title: str = Field(min_length=1, max_length=SECTION_TITLE_MAX_CHARS)
    purpose: str = Field(default="", max_length=REVIEW_PURPOSE_MAX_CHARS, description="what the section is for")
    instructions: str = Field(
        default="", max_length=REVIEW_INSTRUCTIONS_MAX_CHARS, description="the user's instructions to the writer"
    )
    data: list[Annotated[str, Field(min_length=1, max_length=DATA_KEY_MAX_CHARS)]] | None = Field(
        default=None,
        max_length=50,
        description="dataset keys from outline.review's `datasets`; absent: all the run's data",
    )

    @field_validator("title")
    @classmethod
    def _title_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a section title cannot be blank")
        return value.strip()


class ReviewedOutline(BaseModel):
    """The outline to write, as approved by the user: sections in order, 1 to 12."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(default=None, max_length=REPORT_TITLE_MAX_CHARS, description="the report title")
    sections: list[ReviewedSection] = Field(min_length=1, max_length=SECTIONS_MAX)


class RunResume(BaseModel):
    """The public body of `POST /v1/runs/{run_id}/resume`: the edited outline, or nothing
    (or `{}`) to approve the outline as proposed."""

    model_config = ConfigDict(extra="forbid")

    outline: ReviewedOutline | None = None


class ResumeRef(BaseModel):
    """How the orchestrator continues a checkpointed run (thread = run_id):
    `review` answers the outline interrupt with `outline` (None: as proposed);
    `continue` re-runs what the last checkpoint had not finished (a dead orchestrator)."""

    mode: Literal["review", "continue"]
    outline: ReviewedOutline | None = None


class _RequestExtras(BaseModel):
    run_id: str = Field(min_length=1, max_length=128)
    user: UserRef
    session_id: str = Field(default="", max_length=128)
    rag_collection: str | None = Field(default=None, description="the session's Chroma collection")
    files: list[FileRef] = Field(default_factory=list, max_length=100)
    history: list[HistoryItem] = Field(default_factory=list, max_length=50)
    resume: ResumeRef | None = Field(default=None, description="continue this run from its checkpoint")
    template: ReportTemplate | None = Field(default=None, description="options.template, resolved by the gateway")

    @property
    def pdf_ids(self) -> list[str]:
        """The session's PDFs: the only documents retrieval may search (a deleted file's
        vectors can outlive it in rag for a moment; they are never searched)."""
        return [f.file_id for f in self.files if f.kind == "pdf"]

    @field_validator("rag_collection")
    @classmethod
    def _collection_name(cls, value: str | None) -> str | None:
        if value is not None and value != "" and not COLLECTION_RE.match(value):
            raise ValueError("rag_collection must match ^[a-z0-9][a-z0-9_-]{2,62}$")
        return value or None


class DraftRunRequest(DraftRun, _RequestExtras):
    pass


class ParagraphRunRequest(ParagraphRun, _RequestExtras):
    pass


class RewriteRunRequest(RewriteRun, _RequestExtras):
    pass


class ChartRunRequest(ChartRun, _RequestExtras):
    pass


class AskRunRequest(AskRun, _RequestExtras):
    pass


RunRequest = Annotated[
    DraftRunRequest | ParagraphRunRequest | RewriteRunRequest | ChartRunRequest | AskRunRequest,
    Field(discriminator="kind"),
]
"""The gateway's request to the orchestrator (`POST /v1/runs`): the public request plus who, where and what."""

AnyRunRequest = DraftRunRequest | ParagraphRunRequest | RewriteRunRequest | ChartRunRequest | AskRunRequest
run_request_adapter: TypeAdapter[AnyRunRequest] = TypeAdapter(RunRequest)


def build_run_request(run: DraftRun | ParagraphRun | RewriteRun | ChartRun | AskRun, **extras: Any) -> AnyRunRequest:
    """The orchestrator request for a validated public request plus `run_id`, `user`,
    `session_id`, `rag_collection`, `files` and `history` (raises pydantic's ValidationError)."""
    return run_request_adapter.validate_python({**run.model_dump(), **extras})


def run_contract_schema() -> dict[str, Any]:
    """The JSON Schema of the public run request and of the orchestrator request."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "FinScribe run contract",
        "description": "Generated from finscribe_common.contract.runs; do not edit by hand.",
        "run_create": run_create_adapter.json_schema(),
        "run_request": run_request_adapter.json_schema(),
        "run_resume": RunResume.model_json_schema(),
        "event_names": list(get_args(EventName)),
    }
