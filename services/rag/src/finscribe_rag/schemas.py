"""Request and response bodies of the rag routes (API.md, extended)."""

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from finscribe_common.schemas import Source

MetadataValue = str | int | float | bool
SearchMode = Literal["hybrid", "dense", "bm25"]


class TextDocument(BaseModel):
    doc_id: str = Field(min_length=1, max_length=128)
    text: str = Field(min_length=1, description="plain text; a form feed (\\f) separates pages")
    metadata: dict[str, MetadataValue] = Field(
        default_factory=dict,
        max_length=32,
        description="scalar values returned with every hit; `name` labels the source and `page` the first page",
    )


class IngestResult(BaseModel):
    doc_id: str
    chunks: int
    pages: int
    name: str | None = None
    empty_pages: list[int] = Field(default_factory=list, description="1-based pages that carried no text")
    timings: dict[str, float] = Field(
        default_factory=dict, description="seconds per step: parse, chunk, tokenize, embed, store"
    )


class QueryRequest(BaseModel):
    query: str = Field(min_length=1, max_length=4000)
    k: int = Field(default=5, ge=1, le=500)
    doc_ids: list[str] | None = Field(default=None, max_length=200)
    mode: SearchMode = Field(default="hybrid", description="hybrid (RRF of dense and BM25), dense or bm25")


class UploadSource(Source):
    name: str | None = Field(default=None, description="the uploaded file's name")


class HitScores(BaseModel):
    dense: float | None = Field(default=None, description="cosine similarity of the chunk to the query")
    bm25: float | None = None
    dense_rank: int | None = None
    bm25_rank: int | None = None


class Hit(BaseModel):
    doc_id: str
    chunk_id: str
    text: str
    page: int = Field(description="1-based, as a PDF viewer's page counter shows it")
    score: float = Field(description="the fused (or single-list) score; higher is better")
    source: UploadSource
    section: str | None = None
    position: int = 0
    scores: HitScores = Field(default_factory=HitScores)
    metadata: dict[str, MetadataValue] = Field(default_factory=dict)


class QueryResponse(BaseModel):
    hits: list[Hit]
    mode: SearchMode
    retrieved_at: dt.datetime
