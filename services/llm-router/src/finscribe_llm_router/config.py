"""Settings of the llm-router, from the environment (see the README's table)."""

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr

from finscribe_common.settings import ServiceSettings

DEFAULT_ROUTES_FILE = Path(__file__).with_name("routes.yaml")
RUNPOD_API_URL = "https://api.runpod.ai/v2"


class RouterSettings(ServiceSettings):
    # OpenAI
    openai_api_key: SecretStr | None = Field(default=None, validation_alias="OPENAI_API_KEY")
    openai_base_url: str = Field(default="https://api.openai.com/v1", validation_alias="OPENAI_BASE_URL")
    openai_model: str = Field(default="gpt-4.1-mini", validation_alias="OPENAI_MODEL")
    openai_model_fast: str = Field(default="gpt-4o-mini", validation_alias="OPENAI_MODEL_FAST")
    openai_model_quality: str = Field(default="gpt-4.1", validation_alias="OPENAI_MODEL_QUALITY")

    # RunPod serverless vLLM (OpenAI-compatible route)
    runpod_api_key: SecretStr | None = Field(default=None, validation_alias="RUNPOD_API_KEY")
    runpod_endpoint_id: str | None = Field(default=None, validation_alias="RUNPOD_ENDPOINT_ID")
    runpod_base_url: str | None = Field(default=None, validation_alias="RUNPOD_BASE_URL")
    runpod_api_url: str = Field(default=RUNPOD_API_URL, validation_alias="RUNPOD_API_URL")
    runpod_model: str = Field(default="LGAI-EXAONE/EXAONE-3.5-2.4B-Instruct", validation_alias="RUNPOD_MODEL")
    runpod_first_token_timeout_s: float = Field(default=150.0, gt=0, validation_alias="RUNPOD_FIRST_TOKEN_TIMEOUT_S")
    runpod_health_poll_s: float = Field(default=5.0, gt=0, validation_alias="RUNPOD_HEALTH_POLL_S")

    # Any other OpenAI-compatible server (Ollama, llama.cpp, vLLM)
    local_llm_base_url: str | None = Field(default=None, validation_alias="LOCAL_LLM_BASE_URL")
    local_llm_api_key: SecretStr | None = Field(default=None, validation_alias="LOCAL_LLM_API_KEY")
    local_llm_model: str = Field(default="qwen2.5:7b-instruct", validation_alias="LOCAL_LLM_MODEL")
    # which server it is (openai, vllm, llamacpp, ollama): picks its default capabilities from the routing file
    local_llm_kind: str | None = Field(default=None, validation_alias="LOCAL_LLM_KIND")

    # Policy, timeouts, circuit breaker, accounting
    routes_file: Path = Field(default=DEFAULT_ROUTES_FILE, validation_alias="LLM_ROUTES_FILE")
    # inline YAML/JSON of the `routes` section only (handy in compose files); prices stay in the file
    routes_inline: str | None = Field(default=None, validation_alias="LLM_ROUTES")
    connect_timeout_s: float = Field(default=5.0, gt=0, validation_alias="LLM_CONNECT_TIMEOUT_S")
    first_token_timeout_s: float = Field(default=30.0, gt=0, validation_alias="LLM_FIRST_TOKEN_TIMEOUT_S")
    request_timeout_s: float = Field(default=120.0, gt=0, validation_alias="LLM_REQUEST_TIMEOUT_S")
    stream_idle_timeout_s: float = Field(default=60.0, gt=0, validation_alias="LLM_STREAM_IDLE_TIMEOUT_S")
    circuit_failures: int = Field(default=3, ge=1, validation_alias="LLM_CIRCUIT_FAILURES")
    circuit_cooldown_s: float = Field(default=30.0, gt=0, validation_alias="LLM_CIRCUIT_COOLDOWN_S")
    default_retry_after_s: float = Field(default=5.0, ge=0, validation_alias="LLM_DEFAULT_RETRY_AFTER_S")
    max_retry_after_s: float = Field(default=300.0, ge=0, validation_alias="LLM_MAX_RETRY_AFTER_S")
    user_daily_budget_usd: float = Field(default=0.0, ge=0, validation_alias="LLM_USER_DAILY_BUDGET_USD")
    tokenizer: Literal["auto", "chars"] = Field(default="auto", validation_alias="LLM_TOKENIZER")
