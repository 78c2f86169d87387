"""Request bodies of `POST /v1/runs` (API.md plus the cross-team contract) and the run options per kind."""

import datetime as dt
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from finscribe_common.errors import Unprocessable

Kind = Literal["draft", "paragraph", "rewrite", "chart", "ask"]
COLLECTION_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{2,62}$")


class UserRef(BaseModel):
    sub: str = Field(min_length=1, max_length=255)


class FileRef(BaseModel):
    file_id: str = Field(min_length=1, max_length=128)
    name: str = Field(default="", max_length=512)
    kind: Literal["pdf", "csv"]
    url: str = Field(min_length=1, max_length=2048)


class HistoryItem(BaseModel):
    run_id: str = ""
    kind: str = ""
    prompt: str = ""
    markdown: str = Field(default="", max_length=20_000)


class RunRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    run_id: str = Field(min_length=1, max_length=128)
    kind: Kind
    prompt: str = Field(default="", max_length=20_000)
    options: dict[str, Any] = Field(default_factory=dict)
    user: UserRef
    session_id: str = Field(default="", max_length=128)
    rag_collection: str | None = None
    files: list[FileRef] = Field(default_factory=list, max_length=100)
    history: list[HistoryItem] = Field(default_factory=list, max_length=50)

    @property
    def pdf_ids(self) -> list[str]:
        """The session's PDFs: the only documents retrieval may return (a deleted file's
        vectors can outlive it in rag for a moment; they are never searched)."""
        return [f.file_id for f in self.files if f.kind == "pdf"]

    @field_validator("rag_collection")
    @classmethod
    def _collection_name(cls, value: str | None) -> str | None:
        if value is not None and value != "" and not COLLECTION_RE.match(value):
            raise ValueError("rag_collection must match ^[a-z0-9][a-z0-9_-]{2,62}$")
        return value or None


class _Options(BaseModel):
    model_config = ConfigDict(extra="ignore")


class DraftOptions(_Options):
    company: str | None = Field(default=None, max_length=100)
    length: Literal["short", "standard", "long"] = "standard"
    sections: list[str] | None = Field(default=None, max_length=12)
    language: Literal["ko", "en"] = "ko"
    as_of: dt.date | None = None


class ParagraphOptions(_Options):
    use_files: bool = True
    company: str | None = Field(default=None, max_length=100)
    language: Literal["ko", "en"] = "ko"
    as_of: dt.date | None = None


class RewriteOptions(_Options):
    text: str = Field(min_length=1, max_length=20_000)
    mode: Literal["summarize", "expand", "polish", "formal", "translate_ko", "translate_en"]
    target_chars: int | None = Field(default=None, ge=20, le=20_000)


class ChartOptions(_Options):
    company: str | None = Field(default=None, max_length=100)
    file_id: str | None = Field(default=None, max_length=128)
    as_of: dt.date | None = None


class AskOptions(_Options):
    company: str | None = Field(default=None, max_length=100)
    as_of: dt.date | None = None


OPTIONS_BY_KIND: dict[str, type[_Options]] = {
    "draft": DraftOptions,
    "paragraph": ParagraphOptions,
    "rewrite": RewriteOptions,
    "chart": ChartOptions,
    "ask": AskOptions,
}


def parse_options(kind: str, raw: dict[str, Any]) -> _Options:
    """Validate `options` for the run kind; a bad option is a 422 in the envelope, before any event."""
    model = OPTIONS_BY_KIND[kind]
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        details = [
            {"loc": ["options", *(str(p) for p in err.get("loc", ()))], "msg": str(err.get("msg", ""))}
            for err in exc.errors()
        ]
        message = "invalid options for " + kind + ": " + "; ".join(f"{'.'.join(d['loc'])}: {d['msg']}" for d in details)
        raise Unprocessable(message, details=details) from exc
