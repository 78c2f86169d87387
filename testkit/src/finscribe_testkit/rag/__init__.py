"""Helpers for tests and benchmarks that run the rag service (ours and other teams').

- `test_settings(data_dir, **overrides)`: settings with a private Chroma and BM25
  directory under `data_dir`, a fixed internal token and the offline USE embeddings (2.5x
  quicker to embed than the service's default e5; pass EMBEDDINGS="e5" for the default).
- `fake_embeddings.FakeOpenAIEmbeddings`: an OpenAI-protocol `/v1/embeddings` server
  (OpenAI is outside the system) whose vectors come from the real USE model.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from finscribe_rag.config import RagSettings

TEST_TOKEN = "rag-test-token"  # noqa: S105 - a test-only value, never a deployed secret

# The real 28-page Korean paper in fixtures/real, as our tests index it.
PAPER = "ko_finance_llm_paper.pdf"
PAPER_COLLECTION = "u0123456789abcdef-spaper"
PAPER_DOC = "paper-1"


@dataclass
class RagServer:
    """A rag service running on a loopback port, with a client that carries the token."""

    url: str
    settings: RagSettings
    client: httpx.Client
    ingest_answer: dict[str, Any]


def test_settings(data_dir: Path, **overrides: Any) -> RagSettings:
    values: dict[str, Any] = {
        "FINSCRIBE_DATA_DIR": str(data_dir),
        "FINSCRIBE_INTERNAL_TOKEN": TEST_TOKEN,
        "LOG_LEVEL": "WARNING",
        "EMBEDDINGS": "use",
    }
    values.update(overrides)
    return RagSettings(**values)


test_settings.__test__ = False  # type: ignore[attr-defined]  # not a pytest test
