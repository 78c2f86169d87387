"""Report templates: the report kinds analysts write, as validated data.

A template is a report title and its sections in order, each with its purpose, the
writer's instructions and the data it needs (dataset keys of the orchestrator's bundle:
`profile`, `market_cap`, `quote`, `price`, `index`, `fundamentals`, `metrics_interim`,
`metrics_annual`, `metrics_quarter`, `quarters`, `financials`, `filings`, `fx`, `pdf`; absent:
all the run's data). A template naming `quarters` gets the earnings-review comparison: the
newest quarter against the prior quarter and the same quarter a year earlier, computed from
the DART reports (`metrics_quarter` is the extra report it needs), as the first table when
`figures_first`.
The built-in templates are the JSON files in `report_templates/`, validated on load;
users save their own (same shape, without `id`) per account in the gateway
(`POST /v1/templates`). A draft names one with `options.template`; the gateway resolves it
and sends it to the orchestrator as `RunRequest.template`.
"""

import json
from functools import cache
from importlib import resources
from typing import Annotated, Final

from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator

TEMPLATE_ID_PATTERN: Final = r"^(?:[a-z][a-z_]{2,39}|u_[0-9a-f]{32})$"
"""A built-in id (`earnings_review`) or a user's saved template (`u_` + 32 hex digits)."""
PEER_TEMPLATE_ID: Final = "peer_comparison"
"""The built-in template a draft over several companies (`options.companies`) uses by default."""
TEMPLATE_NAME_MAX_CHARS: Final = 100
TEMPLATE_DESCRIPTION_MAX_CHARS: Final = 500
TEMPLATE_TITLE_MAX_CHARS: Final = 300
TEMPLATE_SECTIONS_MAX: Final = 12
SECTION_PURPOSE_MAX_CHARS: Final = 500
SECTION_INSTRUCTIONS_MAX_CHARS: Final = 2_000
DATA_KEYS: Final = frozenset(
    {
        "profile",
        "market_cap",
        "quote",
        "price",
        "index",
        "fundamentals",
        "metrics_interim",
        "metrics_annual",
        "metrics_quarter",
        "quarters",
        "financials",
        "filings",
        "fx",
        "pdf",
    }
)

TemplateId = Annotated[str, Field(pattern=TEMPLATE_ID_PATTERN, description="built-in id or u_<32 hex>")]


class TemplateSection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    title_en: str | None = Field(default=None, max_length=200, description="the title in English documents")
    purpose: str = Field(default="", max_length=SECTION_PURPOSE_MAX_CHARS)
    purpose_en: str | None = Field(default=None, max_length=SECTION_PURPOSE_MAX_CHARS, description="in English runs")
    instructions: str = Field(default="", max_length=SECTION_INSTRUCTIONS_MAX_CHARS)
    instructions_en: str | None = Field(
        default=None, max_length=SECTION_INSTRUCTIONS_MAX_CHARS, description="in English runs"
    )
    data: list[str] | None = Field(default=None, max_length=len(DATA_KEYS), description="dataset keys; absent: all")

    @field_validator("data")
    @classmethod
    def _known_keys(cls, value: list[str] | None) -> list[str] | None:
        unknown = sorted(set(value or []) - DATA_KEYS)
        if unknown:
            raise ValueError(f"unknown data keys {unknown}; known: {sorted(DATA_KEYS)}")
        return value


class TemplateBody(BaseModel):
    """A template's content: what a user saves (`POST /v1/templates`)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=TEMPLATE_NAME_MAX_CHARS)
    description: str = Field(default="", max_length=TEMPLATE_DESCRIPTION_MAX_CHARS)
    title: str = Field(
        min_length=1, max_length=TEMPLATE_TITLE_MAX_CHARS, description="report title; `{company}` is the company"
    )
    title_en: str | None = Field(default=None, max_length=TEMPLATE_TITLE_MAX_CHARS)
    figures_first: StrictBool = Field(default=False, description="the key-figures table comes before the sections")
    sections: list[TemplateSection] = Field(min_length=1, max_length=TEMPLATE_SECTIONS_MAX)

    @field_validator("title", "title_en")
    @classmethod
    def _only_company_placeholder(cls, value: str | None) -> str | None:
        if value is not None and any(c in value.replace("{company}", "") for c in "{}"):
            raise ValueError("the only placeholder a title may hold is {company}")
        return value

    def wants_quarters(self) -> bool:
        """A section names the `quarters` data: the run gathers the quarter comparison."""
        return any("quarters" in (section.data or []) for section in self.sections)

    def report_title(self, company: str, language: str = "ko") -> str:
        pattern = self.title_en if language == "en" and self.title_en else self.title
        return pattern.replace("{company}", company).strip()


class ReportTemplate(TemplateBody):
    id: TemplateId
    builtin: StrictBool = False
    min_companies: int = Field(default=1, ge=1, le=5, description="companies the template compares (peers: 2)")


@cache
def builtin_templates() -> dict[str, ReportTemplate]:
    """The built-in templates by id, from `report_templates/*.json` (validated; a bad file
    fails at import time of the first caller, i.e. at startup and in the tests)."""
    folder = resources.files("finscribe_common.contract").joinpath("report_templates")
    templates: dict[str, ReportTemplate] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json"):
            template = ReportTemplate.model_validate({**json.loads(entry.read_text("utf-8")), "builtin": True})
            templates[template.id] = template
    return templates
