"""HTTP routes: the OpenAI-compatible chat endpoint, the model/route listing and usage."""

import json
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.params import Depends
from pydantic import ValidationError

from finscribe_common.deps import service_dependency
from finscribe_common.errors import BadRequest, NotFound, Unprocessable
from finscribe_llm_router.policy import TASKS
from finscribe_llm_router.schemas import (
    ChatCompletionRequest,
    ModelEntry,
    ModelsResponse,
    RequestUsageResponse,
    UsageResponse,
)
from finscribe_llm_router.service import LLMRouter

router = APIRouter(tags=["llm"])


RouterDep = Annotated[LLMRouter, Depends(service_dependency(LLMRouter))]


async def _read_body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    try:
        body = json.loads(raw)
    except ValueError as exc:
        raise BadRequest("the request body is not valid JSON") from exc
    if not isinstance(body, dict):
        raise BadRequest("the request body must be a JSON object")
    try:
        ChatCompletionRequest.model_validate(body)
    except ValidationError as exc:
        details = [{"loc": [str(p) for p in e["loc"]], "msg": e["msg"]} for e in exc.errors()]
        parts = "; ".join(f"{'.'.join(d['loc']) or 'body'}: {d['msg']}" for d in details[:5])
        raise Unprocessable(f"invalid chat completion request: {parts}", details=details) from exc
    return body


@router.post(
    "/v1/chat/completions",
    summary="OpenAI Chat Completions through the routing policy",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": ChatCompletionRequest.model_json_schema()}},
        }
    },
    response_description="an OpenAI chat.completion, or with `stream: true` OpenAI SSE chunks",
)
async def chat_completions(
    request: Request,
    llm: RouterDep,
    x_task: Annotated[str | None, Header(max_length=40, description=f"one of {', '.join(TASKS)}")] = None,
    x_user: Annotated[
        str | None, Header(max_length=200, description="the end user's id (Google sub), for accounting")
    ] = None,
) -> Response:
    body = await _read_body(request)
    return await llm.chat(body, task=x_task or None, user=x_user or None)


@router.get("/v1/models", summary="Routes, their targets and the providers' health", response_model=ModelsResponse)
async def list_models(llm: RouterDep) -> ModelsResponse:
    data = [
        ModelEntry(
            id=route,
            created=int(llm.ledger.started_at.timestamp()),
            targets={task: [str(t) for t in targets] for task, targets in tasks.items()},
        )
        for route, tasks in llm.policy.routes.items()
    ]
    targets = {
        (t.provider, t.model)
        for tasks in llm.policy.routes.values()
        for ts in tasks.values()
        for t in ts
        if llm.providers[t.provider].configured
    }
    return ModelsResponse(
        data=data,
        providers=[provider.describe() for provider in llm.providers.values()],
        tasks=list(TASKS),
        capabilities=llm.capabilities.describe(sorted(targets)),
    )


@router.get("/v1/usage", summary="Tokens and cost by provider, model, task and user since start")
async def usage(
    llm: RouterDep,
    user: Annotated[str | None, Query(max_length=200, description="only this user's calls")] = None,
) -> UsageResponse:
    report = llm.ledger.report(user)
    budget = llm.settings.user_daily_budget_usd
    return UsageResponse(**report, tokenizer=llm.counter.method, daily_budget_usd=budget or None)


@router.get(
    "/v1/usage/requests/{request_id}",
    summary="Tokens and cost of every call made under one X-Request-ID (e.g. one run), streams included",
)
async def usage_of_request(llm: RouterDep, request_id: str) -> RequestUsageResponse:
    report = llm.ledger.for_request(request_id)
    if report is None:
        raise NotFound(f"no LLM calls recorded for request id {request_id!r} (or it is too old)")
    return RequestUsageResponse(**report)
