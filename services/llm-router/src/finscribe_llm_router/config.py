"""Settings of the llm-router, from the environment (see the README's table)."""

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr

from finscribe_common.settings import ServiceSettings

DEFAULT_ROUTES_FILE = Path(__file__).with_name("routes.yaml")
RUNPOD_API_URL = "https://api.runpod.ai/v2"


class RouterSettings(ServiceSettings):
    # OpenAI
    openai_api_key: SecretStr | None = Field(
        default=None, description="OpenAI key; OpenAI is configured when it is set"
    )
    openai_base_url: str = Field(default="https://api.openai.com/v1", description="OpenAI (or compatible) base URL")
    openai_model: str = Field(default="gpt-4.1-mini", description="`openai` / `@default`")
    openai_model_fast: str = Field(default="gpt-4o-mini", description="`openai:@fast` (route `fast`, rewrite fallback)")
    openai_model_quality: str = Field(default="gpt-4.1", description="`openai:@quality` (route `quality`)")

    # RunPod serverless vLLM (OpenAI-compatible route)
    runpod_api_key: SecretStr | None = Field(
        default=None, description="RunPod API key; RunPod is configured with it and an endpoint id or base URL"
    )
    runpod_endpoint_id: str | None = Field(
        default=None, description="serverless endpoint id -> `<RUNPOD_API_URL>/<id>/openai/v1`, health and cancel"
    )
    runpod_base_url: str | None = Field(
        default=None, description="an OpenAI-compatible base URL used instead of the endpoint-id form"
    )
    runpod_api_url: str = Field(
        default=RUNPOD_API_URL, description="RunPod's serverless API root (tests point it at a fake)"
    )
    runpod_model: str = Field(
        default="LGAI-EXAONE/EXAONE-3.5-2.4B-Instruct",
        description="the deployed model's name (a small Korean/English instruct model)",
    )
    runpod_first_token_timeout_s: float = Field(
        default=150.0,
        gt=0,
        description=(
            "RunPod's first-byte wait (cold starts); added to `LLM_REQUEST_TIMEOUT_S` for non-streaming calls"
        ),
    )
    runpod_health_poll_s: float = Field(
        default=5.0, gt=0, description="how often the endpoint health is read while waiting"
    )

    # Any other OpenAI-compatible server (Ollama, llama.cpp, vLLM)
    local_llm_base_url: str | None = Field(
        default=None,
        description="any OpenAI-compatible server, e.g. `http://127.0.0.1:11434/v1` (Ollama), llama.cpp, vLLM",
    )
    local_llm_api_key: SecretStr | None = Field(default=None, description="the local server's API key, if it wants one")
    local_llm_model: str = Field(default="qwen2.5:7b-instruct", description="`local` / `@default`")
    # which server it is (openai, vllm, llamacpp, ollama): picks its default capabilities from the routing file
    local_llm_kind: str | None = Field(
        default=None,
        description=(
            "the local server's kind (`openai`, `vllm`, `llamacpp`, `ollama`): its default capabilities"
            " (unset: (routing file: `ollama`))"
        ),
    )

    # Policy, timeouts, circuit breaker, accounting
    routes_file: Path = Field(
        default=DEFAULT_ROUTES_FILE,
        validation_alias="LLM_ROUTES_FILE",
        description="routing table and prices (YAML or JSON)",
    )
    # inline YAML/JSON of the `routes` section only (handy in compose files); prices stay in the file
    routes_inline: str | None = Field(
        default=None,
        validation_alias="LLM_ROUTES",
        description=(
            'inline YAML/JSON of the `routes` section (`{"auto": {"default": ["local", '
            '"openai"]}}`), replacing the file\'s routes; prices still come from the file'
        ),
    )
    connect_timeout_s: float = Field(
        default=5.0, gt=0, validation_alias="LLM_CONNECT_TIMEOUT_S", description="TCP/TLS connect timeout to a provider"
    )
    first_token_timeout_s: float = Field(
        default=30.0,
        gt=0,
        validation_alias="LLM_FIRST_TOKEN_TIMEOUT_S",
        description="first streamed byte from OpenAI/local",
    )
    request_timeout_s: float = Field(
        default=120.0, gt=0, validation_alias="LLM_REQUEST_TIMEOUT_S", description="a whole non-streaming answer"
    )
    stream_idle_timeout_s: float = Field(
        default=60.0,
        gt=0,
        validation_alias="LLM_STREAM_IDLE_TIMEOUT_S",
        description="longest silence inside a started stream",
    )
    circuit_failures: int = Field(
        default=3,
        ge=1,
        validation_alias="LLM_CIRCUIT_FAILURES",
        description="consecutive failures that open a provider's circuit",
    )
    circuit_cooldown_s: float = Field(
        default=30.0,
        gt=0,
        validation_alias="LLM_CIRCUIT_COOLDOWN_S",
        description="open time before the half-open probe",
    )
    default_retry_after_s: float = Field(
        default=5.0,
        ge=0,
        validation_alias="LLM_DEFAULT_RETRY_AFTER_S",
        description="wait after a 429 without `Retry-After`",
    )
    max_retry_after_s: float = Field(
        default=300.0, ge=0, validation_alias="LLM_MAX_RETRY_AFTER_S", description="cap on a provider's `Retry-After`"
    )
    user_daily_budget_usd: float = Field(
        default=0.0,
        ge=0,
        validation_alias="LLM_USER_DAILY_BUDGET_USD",
        description="per-user spend per UTC day before 429 `budget_exceeded`",
    )
    tokenizer: Literal["auto", "chars"] = Field(
        default="auto",
        validation_alias="LLM_TOKENIZER",
        description=(
            "`auto` (tiktoken `o200k_base` once it loads, characters until then or if it cannot), "
            "`chars` (never try tiktoken: no network at start)"
        ),
    )
