"""Request and response shapes of the router's own routes.

The chat request is validated for what the router needs and otherwise passed through
untouched (tools, response_format, sampling parameters, vendor extensions).
"""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ChatCompletionRequest(BaseModel):
    model_config = ConfigDict(extra="allow")

    model: str = Field(
        min_length=1,
        max_length=200,
        description="a route (`auto`, `fast`, `quality`) or one target `openai:<model>`, `runpod:<model>`, "
        "`local:<model>`",
    )
    messages: list[dict[str, Any]] = Field(min_length=1, description="OpenAI chat messages")
    stream: bool | None = Field(default=None, description="stream OpenAI SSE chunks as they arrive")
    stream_options: dict[str, Any] | None = None
    tools: list[dict[str, Any]] | None = None
    response_format: dict[str, Any] | None = None


class ModelEntry(BaseModel):
    id: str
    object: str = "model"
    created: int = Field(description="when this router process loaded its routing table (Unix time)")
    owned_by: str = "finscribe-llm-router"
    targets: dict[str, list[str]] = Field(description="task -> ordered provider:model targets")


class ModelsResponse(BaseModel):
    object: str = "list"
    data: list[ModelEntry]
    providers: list[dict[str, Any]] = Field(description="each provider: configured?, circuit state, rate limit")
    tasks: list[str]
    capabilities: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description="per configured target: server kind, structured_output mode, tools, stream_usage, and what "
        "was learned from refusals since start",
    )


class UsageResponse(BaseModel):
    since: str
    total: dict[str, Any]
    by_provider: dict[str, dict[str, Any]]
    by_model: dict[str, dict[str, Any]]
    by_task: dict[str, dict[str, Any]]
    by_user: dict[str, dict[str, Any]]
    rows: list[dict[str, Any]]
    tokenizer: str = Field(description="how tokens are counted when a provider sends no usage")
    daily_budget_usd: float | None = Field(description="per-user daily budget, null when off")


class RequestUsageResponse(BaseModel):
    request_id: str
    total: dict[str, Any]
    by_provider: dict[str, dict[str, Any]]
    by_model: dict[str, dict[str, Any]]
