"""Helpers for tests and benchmarks that run the rag service (ours and other teams').

- `test_settings(data_dir, **overrides)`: settings with a private Chroma and BM25
  directory under `data_dir`, a fixed internal token and the offline USE embeddings.
- `fake_embeddings.FakeOpenAIEmbeddings`: an OpenAI-protocol `/v1/embeddings` server
  (OpenAI is outside the system) whose vectors come from the real USE model.
"""

from pathlib import Path
from typing import Any

from finscribe_rag.config import RagSettings

TEST_TOKEN = "rag-test-token"  # noqa: S105 - a test-only value, never a deployed secret


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
