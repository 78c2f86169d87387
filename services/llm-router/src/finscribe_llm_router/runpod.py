"""RunPod serverless specifics: cold starts and queued jobs.

RunPod's OpenAI-compatible route (`https://api.runpod.ai/v2/<ENDPOINT_ID>/openai/v1`) holds
the HTTP request while the job waits in the endpoint's queue for a worker, so a cold start
shows up as a long wait for the first byte. The router therefore:

- waits up to RUNPOD_FIRST_TOKEN_TIMEOUT_S (not the shorter LLM_FIRST_TOKEN_TIMEOUT_S) for it;
- meanwhile polls the endpoint's `GET /v2/<ENDPOINT_ID>/health` ({"jobs": {"inQueue",
  "inProgress", ...}, "workers": {"idle", "ready", "running", "initializing", "throttled",
  "unhealthy"}}) every RUNPOD_HEALTH_POLL_S: while a worker is initializing, ready or
  running, the wait is a cold start or a queue that is moving, so it keeps waiting; when two
  polls in a row show no worker that could take the job (all throttled, unhealthy or none),
  it gives up early and falls back instead of burning the whole timeout;
- if RunPod answers with a job state (`{"id", "status": "IN_QUEUE"|"IN_PROGRESS"}`) instead
  of a completion, its own synchronous wait ran out: the router cancels that job
  (`POST /v2/<ENDPOINT_ID>/cancel/<id>`, so no GPU time is billed for an answer nobody
  reads) and falls back.

Health and cancel are called the way RunPod's own SDK does (runpod-python
`Endpoint.health()`, `Job.cancel()`: `Authorization: Bearer <key>`). With RUNPOD_BASE_URL
(a pod or proxy) there is no endpoint health to read; only the longer first-byte timeout
applies.
"""

import asyncio
import logging
import time
from typing import Any, Literal

import httpx

from finscribe_llm_router.providers import Provider

logger = logging.getLogger("finscribe.llm_router.runpod")

CAPACITY_STATES = ("idle", "ready", "running", "initializing")
PENDING_JOB_STATES = frozenset({"IN_QUEUE", "IN_PROGRESS"})


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def no_capacity(health: dict[str, Any]) -> str | None:
    """Why the endpoint cannot take a job soon, or None while it can (or might)."""
    workers = health.get("workers")
    if not isinstance(workers, dict):
        return None
    if any(_int(workers.get(state)) > 0 for state in CAPACITY_STATES):
        return None
    jobs = health.get("jobs")
    if not isinstance(jobs, dict):
        jobs = {}
    return (
        "no worker can take the job (workers: "
        + ", ".join(f"{k}={_int(v)}" for k, v in sorted(workers.items()))
        + f"; jobs in queue: {_int(jobs.get('inQueue'))})"
    )


async def fetch_health(client: httpx.AsyncClient, provider: Provider, max_age_s: float = 0.0) -> dict[str, Any] | None:
    """The endpoint's health; a reading younger than `max_age_s` is reused, so concurrent
    requests waiting on one cold endpoint share their polls instead of multiplying them."""
    if provider.health_url is None:
        return None
    if provider.last_health is not None and time.monotonic() - provider.last_health_at < max_age_s:
        return provider.last_health
    try:
        response = await client.get(provider.health_url, headers=provider.auth_headers(), timeout=5.0)
        if response.status_code != 200:
            return None
        health = response.json()
    except (httpx.HTTPError, ValueError):
        return None
    if not isinstance(health, dict):
        return None
    provider.last_health = health
    provider.last_health_at = time.monotonic()
    return health


async def watch_for_no_capacity(client: httpx.AsyncClient, provider: Provider, poll_s: float | None = None) -> str:
    """Returns (a reason) only once two polls in a row show that no worker will come."""
    interval = poll_s if poll_s is not None else provider.health_poll_s
    strikes = 0
    while True:
        await asyncio.sleep(interval)
        health = await fetch_health(client, provider, max_age_s=interval * 0.8)
        reason = no_capacity(health) if health is not None else None
        strikes = strikes + 1 if reason else 0
        if reason and strikes >= 2:
            logger.warning("runpod endpoint has no capacity, falling back: %s", reason)
            return reason


async def job_state_answer(
    client: httpx.AsyncClient, provider: Provider, parsed: Any
) -> tuple[Literal["not_ready", "protocol"], str]:
    """Classify a 200 answer that is not a chat completion; cancel a RunPod job left pending."""
    status = parsed.get("status") if isinstance(parsed, dict) else None
    if provider.health_url is not None and status in PENDING_JOB_STATES and parsed.get("id"):
        cancel_url = provider.health_url.rsplit("/", 1)[0] + f"/cancel/{parsed['id']}"
        try:
            await client.post(cancel_url, headers=provider.auth_headers(), timeout=5.0)
        except httpx.HTTPError as exc:
            logger.info("could not cancel runpod job %s: %s", parsed["id"], exc)
        return "not_ready", f"runpod job {parsed['id']} still {status} when RunPod's wait ended (cold start)"
    if status in PENDING_JOB_STATES:
        return "not_ready", f"{provider.name} answered with job state {status} instead of a completion"
    return "protocol", f"{provider.name} answered 200 without `choices`"
