"""The router: pick targets for a request, try them in order, relay the answer, account for it."""

import asyncio
import datetime as dt
import json
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
from fastapi import Response
from fastapi.responses import StreamingResponse

from finscribe_common.errors import (
    ApiError,
    BadRequest,
    NotConfigured,
    RateLimited,
    Unavailable,
    UpstreamError,
    UpstreamTimeout,
)
from finscribe_common.request_context import current_request_id
from finscribe_llm_router import upstream
from finscribe_llm_router.accounting import Usage, UsageLedger
from finscribe_llm_router.capabilities import STRUCTURED_MODES, CapabilityBook
from finscribe_llm_router.config import RouterSettings
from finscribe_llm_router.policy import Policy, Target
from finscribe_llm_router.providers import PROVIDER_ENV, Provider
from finscribe_llm_router.shape import Shaped, shape
from finscribe_llm_router.sse import StreamReader, usage_event
from finscribe_llm_router.tokens import TokenCounter

logger = logging.getLogger("finscribe.llm_router")

PROVIDER_HEADER = "X-LLM-Provider"
MODEL_HEADER = "X-LLM-Model"
ATTEMPTS_HEADER = "X-LLM-Attempts"
COST_HEADER = "X-LLM-Cost-USD"  # non-streaming only; a stream carries it in its usage chunk
STRUCTURED_HEADER = "X-LLM-Structured-Output"  # the mode structured output went out in
ESTIMATED_HEADER = "X-LLM-Usage-Estimated"  # "true" when the provider sent no usage and we counted


def _seconds_to_utc_midnight() -> float:
    now = dt.datetime.now(dt.UTC)
    tomorrow = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    return (tomorrow - now).total_seconds()


def _usage_from(raw: Any) -> tuple[int, int] | None:
    if not isinstance(raw, dict):
        return None
    prompt, completion = raw.get("prompt_tokens"), raw.get("completion_tokens")
    if isinstance(prompt, int) and isinstance(completion, int):
        return prompt, completion
    return None


def _answer_text(parsed: dict[str, Any]) -> str:
    parts: list[str] = []
    for choice in parsed.get("choices") or []:
        message = choice.get("message") if isinstance(choice, dict) else None
        if not isinstance(message, dict):
            continue
        if isinstance(message.get("content"), str):
            parts.append(message["content"])
        for call in message.get("tool_calls") or []:
            if isinstance(call, dict):
                parts.append(json.dumps(call.get("function", {}), ensure_ascii=False))
    return "".join(parts)


def stream_error_event(code: str, message: str, provider: str) -> bytes:
    """The OpenAI-style error an SSE client raises on; sent instead of splicing another model in."""
    error = {
        "message": message,
        "type": "upstream_error",
        "code": code,
        "provider": provider,
        "request_id": current_request_id(),
    }
    return f"data: {json.dumps({'error': error}, ensure_ascii=False)}\n\n".encode()


class _ToolsRefused(Exception):
    """The target refused `tools`: learned, and the walk goes on to a target that takes them."""


class LLMRouter:
    def __init__(
        self,
        settings: RouterSettings,
        policy: Policy,
        providers: dict[str, Provider],
        client: httpx.AsyncClient,
        counter: TokenCounter,
    ) -> None:
        self.settings = settings
        self.policy = policy
        self.providers = providers
        self.client = client
        self.counter = counter
        self.ledger = UsageLedger(policy)
        self.capabilities = CapabilityBook(policy.capabilities)

    # -- policy -------------------------------------------------------------------------

    def not_configured_message(self, providers: list[str] | None = None, route: str | None = None) -> str:
        names = providers or list(self.providers)
        wanted = "; or ".join(PROVIDER_ENV[n] for n in names)
        scope = f" for model {route!r}" if route and providers and len(providers) < len(self.providers) else ""
        return f"no LLM provider is configured{scope}: set {wanted}"

    def check_budget(self, user: str | None) -> None:
        budget = self.settings.user_daily_budget_usd
        if not budget or not user:
            return
        spent = self.ledger.spent_today(user)
        if spent >= budget:
            raise RateLimited(
                f"daily LLM budget of {budget:g} USD used up ({spent:.4f} USD today, UTC); it resets at 00:00 UTC",
                code="budget_exceeded",
                retry_after=_seconds_to_utc_midnight(),
            )

    # -- the request --------------------------------------------------------------------

    async def chat(self, body: dict[str, Any], *, task: str | None, user: str | None) -> Response:
        targets, explicit = self.policy.resolve(str(body["model"]), task, self.settings)
        configured = [t for t in targets if self.providers[t.provider].configured]
        if not configured:
            wanted = list(dict.fromkeys(t.provider for t in targets))
            raise NotConfigured(self.not_configured_message(wanted, str(body["model"])))
        self.check_budget(user)
        attempts: list[dict[str, Any]] = []
        failures: list[upstream.AttemptFailed] = []
        without_tools: list[str] = []
        wants_tools = bool(body.get("tools")) and body.get("tool_choice") != "none"
        for target in configured:
            provider = self.providers[target.provider]
            if wants_tools and not self.capabilities.for_target(target.provider, target.model).tools:
                # the same request without tools is another request: a target that takes them, or the caller decides
                attempts.append({"target": str(target), "skipped": "does not take tools"})
                without_tools.append(str(target))
                continue
            wait = provider.rate_limit_wait_s()
            if wait > 0:
                attempts.append({"target": str(target), "skipped": f"rate limited for another {wait:.1f} s"})
                failures.append(upstream.AttemptFailed("rate_limited", "skipped", retry_after=wait))
                continue
            if not provider.breaker.allow():
                retry = provider.breaker.retry_in_s()
                attempts.append({"target": str(target), "skipped": f"circuit open, next probe in {retry:.1f} s"})
                continue
            started = time.perf_counter()
            try:
                outcome, shaped = await self._attempt_in_shape(provider, target, body, attempts)
            except _ToolsRefused:
                provider.breaker.record_success()  # it answered: healthy, tools are what it lacks
                without_tools.append(str(target))
                continue
            except upstream.AttemptFailed as exc:
                self._note_failure(provider, exc)
                logger.warning("llm attempt failed, trying the next target: %s", exc.message)
                attempts.append({"target": str(target), "error": exc.kind, "message": exc.message})
                failures.append(exc)
                continue
            except upstream.RejectedByUpstream as exc:
                provider.breaker.record_success()  # it answered: healthy, the request is what it refused
                raise ApiError(
                    exc.message,
                    status_code=exc.status,
                    code="rejected_by_provider",
                    details={"provider": target.provider, "model": target.model, "provider_error": exc.provider_error},
                ) from exc
            except BaseException:
                provider.breaker.release()
                raise
            # an answer, or a stream's first byte, is proof enough that the provider is back: a
            # half-open probe must not hold every other request off for a whole stream
            provider.breaker.record_success()
            attempts.append({"target": str(target), "ok": True})
            headers = {
                PROVIDER_HEADER: target.provider,
                MODEL_HEADER: target.model,
                ATTEMPTS_HEADER: str(len(attempts)),
            }
            if shaped.structured is not None:
                headers[STRUCTURED_HEADER] = shaped.structured
            if isinstance(outcome, upstream.OpenStream):
                wants_usage = bool((body.get("stream_options") or {}).get("include_usage"))
                relay = self._relay(outcome, provider, target, body, task, user, started, wants_usage)
                return StreamingResponse(
                    relay,
                    media_type="text/event-stream",
                    headers={**headers, "Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
                )
            response, raw, parsed = outcome
            usage = self._usage(body, _usage_from(parsed.get("usage")), _answer_text(parsed))
            seconds = time.perf_counter() - started
            cost = self.ledger.record(target, task, user, usage, seconds, request_id=current_request_id())
            headers[COST_HEADER] = f"{cost:.8f}"
            if usage.estimated:
                headers[ESTIMATED_HEADER] = "true"
            return Response(raw, status_code=response.status_code, media_type="application/json", headers=headers)
        if without_tools:
            raise BadRequest(
                f"no target of model {str(body['model'])!r} that takes tools answered; "
                f"{', '.join(without_tools)} do not take tools: ask without tools",
                code="tools_unsupported",
                details={"attempts": attempts, "without_tools": without_tools},
            )
        raise self._exhausted(str(body["model"]), task, attempts, failures, explicit)

    async def _attempt_in_shape(
        self, provider: Provider, target: Target, body: dict[str, Any], attempts: list[dict[str, Any]]
    ) -> tuple[upstream.OpenStream | tuple[httpx.Response, bytes, dict[str, Any]], Shaped]:
        """One target, in the shape it takes; a refused shape is learned and retried here at once
        (same target, weaker shape) before the caller moves on to the next target."""
        caps = self.capabilities.for_target(target.provider, target.model)
        for _ in range(len(STRUCTURED_MODES) + 2):  # every step down the ladder, and stream_options
            shaped = shape(body, target.model, caps)
            try:
                return await self._attempt(provider, shaped.payload, bool(body.get("stream"))), shaped
            except upstream.ShapeRefused as exc:
                weaker = self.capabilities.learn(target.provider, target.model, exc.feature, exc.message)
                if exc.feature == "tools":
                    attempts.append({"target": str(target), "refused": "tools", "message": exc.message})
                    raise _ToolsRefused(exc.message) from exc
                if weaker is None:
                    raise exc.as_failure() from exc
                retry_as = weaker.structured_output if exc.feature == "structured_output" else "no stream_options"
                logger.warning("%s refused %s; retrying it as %s: %s", target, exc.feature, retry_as, exc.message)
                attempts.append(
                    {"target": str(target), "refused": exc.feature, "message": exc.message, "retry_as": retry_as}
                )
                caps = weaker
        raise upstream.AttemptFailed("protocol", f"{target}: refused every request shape")

    async def _attempt(
        self, provider: Provider, payload: dict[str, Any], stream: bool
    ) -> upstream.OpenStream | tuple[httpx.Response, bytes, dict[str, Any]]:
        retry_after = self.settings.default_retry_after_s
        if not stream:
            timeout = self.settings.request_timeout_s + provider.cold_start_allowance_s
            return await upstream.complete(
                self.client, provider, payload, timeout=timeout, default_retry_after=retry_after
            )
        return await upstream.open_stream(
            self.client, provider, payload, timeout=provider.first_token_timeout_s, default_retry_after=retry_after
        )

    def _note_failure(self, provider: Provider, exc: upstream.AttemptFailed) -> None:
        if exc.kind == "rate_limited":
            wait = min(exc.retry_after or 0.0, self.settings.max_retry_after_s)
            provider.rate_limited_until = max(provider.rate_limited_until, time.monotonic() + wait)
            provider.breaker.release()
        elif exc.trips_breaker:
            provider.breaker.record_failure(exc.message)
        else:
            provider.breaker.release()

    def _exhausted(
        self,
        route: str,
        task: str | None,
        attempts: list[dict[str, Any]],
        failures: list[upstream.AttemptFailed],
        explicit: bool,
    ) -> ApiError:
        what = f"model {route!r}" + (f" task {task!r}" if task else "")
        details = {"attempts": attempts}
        if failures and all(f.kind == "rate_limited" for f in failures):
            retry = min(f.retry_after or self.settings.default_retry_after_s for f in failures)
            return RateLimited(f"every provider for {what} is rate limited", retry_after=retry, details=details)
        if not failures:
            return Unavailable(f"every provider for {what} is unavailable (circuit open)", details=details)
        last = next(f for f in reversed(failures) if f.kind != "rate_limited")
        prefix = "the provider" if explicit else "every provider"
        message = f"{prefix} for {what} failed; last: {last.message}"
        if last.kind == "timeout":
            return UpstreamTimeout(message, details=details)
        if last.kind in ("connect", "not_ready"):
            return Unavailable(message, details=details)
        return UpstreamError(message, details=details)

    def _usage(self, body: dict[str, Any], reported: tuple[int, int] | None, text: str) -> Usage:
        if reported is not None:
            return Usage(reported[0], reported[1], estimated=False)
        return Usage(self.counter.count_prompt(body), self.counter.count(text), estimated=True)

    async def _relay(
        self,
        opened: upstream.OpenStream,
        provider: Provider,
        target: Target,
        body: dict[str, Any],
        task: str | None,
        user: str | None,
        started: float,
        wants_usage: bool,
    ) -> AsyncIterator[bytes]:
        priced: list[float] = []

        def price(raw_usage: dict[str, Any]) -> float:
            reported = _usage_from(raw_usage)
            if reported is None:
                return 0.0
            priced.append(self.ledger.cost(target, Usage(*reported, estimated=False), time.perf_counter() - started))
            return priced[-1]

        # a caller who asked for usage gets a usage chunk even from a server that sends none
        # (estimated, and marked so): [DONE] is held back until we know
        reader = StreamReader(
            drop_usage_chunk=not wants_usage, price=price if wants_usage else None, hold_done=wants_usage
        )
        request_id = current_request_id()  # read now: the generator's finally may run outside the request
        idle = self.settings.stream_idle_timeout_s
        failure: str | None = None
        try:
            out = reader.feed(opened.first)
            if out:
                yield out
            while True:
                try:
                    async with asyncio.timeout(idle):
                        chunk = await opened.chunks.__anext__()
                except StopAsyncIteration:
                    break
                out = reader.feed(chunk)
                if out:
                    yield out
            rest = reader.flush()
            if rest:
                yield rest
            if wants_usage and reader.done:
                if reader.usage is None:
                    estimate = self._usage(body, None, reader.text)
                    cost = self.ledger.cost(target, estimate, time.perf_counter() - started)
                    priced.append(cost)
                    yield usage_event(reader, target.model, estimate.prompt_tokens, estimate.completion_tokens, cost)
                yield b"data: [DONE]\n\n"
            if reader.upstream_error is not None:
                failure = f"{provider.name} sent an error mid-stream: {reader.upstream_error.get('message')}"
            elif not reader.done:
                failure = f"{provider.name} ended the stream before [DONE]"
                yield stream_error_event("stream_incomplete", failure, provider.name)
        except TimeoutError:
            failure = f"{provider.name} sent nothing for {idle:g} s mid-stream"
            yield stream_error_event("upstream_timeout", failure, provider.name)
        except httpx.HTTPError as exc:
            failure = f"{provider.name} stream broke: {type(exc).__name__}"
            yield stream_error_event("stream_interrupted", failure, provider.name)
        finally:
            await opened.response.aclose()
            if failure is not None:
                logger.warning("llm stream failed after it started (no fallback): %s", failure)
                provider.breaker.record_failure(failure)
            usage = self._usage(body, _usage_from(reader.usage), reader.text)
            self.ledger.record(
                target,
                task,
                user,
                usage,
                time.perf_counter() - started,
                failed=failure is not None,
                cost=priced[-1] if priced else None,  # the figure the caller was told
                request_id=request_id,
            )
