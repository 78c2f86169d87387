"""Settings of the rag service (environment variables, see the README's table)."""

from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request
from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator

from finscribe_common.settings import ServiceSettings

USE_EMBEDDINGS = "use"
E5_EMBEDDINGS = "e5"
LOCAL_EMBEDDINGS = (E5_EMBEDDINGS, USE_EMBEDDINGS)
OPENAI_PREFIX = "openai:"


class RagSettings(ServiceSettings):
    chroma_path: Path | None = Field(
        default=None, validation_alias="CHROMA_PATH", description="embedded Chroma directory; default <data_dir>/chroma"
    )
    chroma_url: str | None = Field(default=None, validation_alias="CHROMA_URL")
    embeddings: str = Field(default=E5_EMBEDDINGS, validation_alias="EMBEDDINGS")
    embeddings_base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("EMBEDDINGS_BASE_URL", "OPENAI_BASE_URL")
    )
    embeddings_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("EMBEDDINGS_API_KEY", "OPENAI_API_KEY")
    )
    # Threads of the local model (USE: BLAS; e5: OpenMP). One leaves a core for queries, and
    # on a busy machine a second thread spins instead of helping (README "Embeddings").
    embeddings_threads: int = Field(default=1, ge=1, le=64, validation_alias="RAG_EMBED_THREADS")
    max_pdf_mb: float = Field(default=20.0, gt=0, validation_alias="RAG_MAX_PDF_MB")
    # Limits by content, not page count: a 500-page annual report (~1.2 M characters) fits.
    max_text_chars: int = Field(default=4_000_000, ge=1, validation_alias="RAG_MAX_TEXT_CHARS")
    # PDFium reads a 500-page 10-K in ~3 CPU-s; a file that takes 20x longer is pathological.
    pdf_parse_timeout_s: float = Field(default=60.0, gt=0, validation_alias="RAG_PDF_PARSE_TIMEOUT_S")
    chunk_chars: int = Field(default=600, ge=100, le=8000, validation_alias="RAG_CHUNK_CHARS")
    chunk_overlap: int = Field(default=120, ge=0, validation_alias="RAG_CHUNK_OVERLAP")
    bm25_cache_collections: int = Field(default=64, ge=1, validation_alias="RAG_BM25_CACHE")
    max_k: int = Field(default=50, ge=1, le=500, validation_alias="RAG_MAX_K")
    # Below the gateway's RAG_INGEST_TIMEOUT_S (300 s), so a stuck step answers our 504 first.
    ingest_timeout_s: float = Field(default=240.0, gt=0, validation_alias="RAG_INGEST_STEP_TIMEOUT_S")
    query_timeout_s: float = Field(default=15.0, gt=0, validation_alias="RAG_QUERY_TIMEOUT_S")

    @field_validator("chroma_url", "embeddings_base_url", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @model_validator(mode="after")
    def _check(self) -> "RagSettings":
        if self.chunk_overlap >= self.chunk_chars // 2:
            raise ValueError("RAG_CHUNK_OVERLAP must be less than half of RAG_CHUNK_CHARS")
        if self.embeddings not in LOCAL_EMBEDDINGS and not (
            self.embeddings.startswith(OPENAI_PREFIX) and len(self.embeddings) > len(OPENAI_PREFIX)
        ):
            raise ValueError("EMBEDDINGS must be 'e5', 'use' or 'openai:<model>'")
        return self

    @property
    def resolved_chroma_path(self) -> Path:
        return self.chroma_path or self.data_dir / "chroma"

    @property
    def max_pdf_bytes(self) -> int:
        return int(self.max_pdf_mb * 1024 * 1024)


def get_settings(request: Request) -> RagSettings:
    settings = request.app.state.settings
    assert isinstance(settings, RagSettings)
    return settings


SettingsDep = Annotated[RagSettings, Depends(get_settings)]
