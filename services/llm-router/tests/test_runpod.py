"""RunPod cold starts and queued jobs, against a fake serverless endpoint on loopback."""

import itertools
import json
import time

from finscribe_llm_router.runpod import no_capacity
from finscribe_testkit.llm_router import (
    COLD_STARTING,
    ENDPOINT_ID,
    NO_CAPACITY,
    RUNPOD_KEY,
    WARM,
    FakeRunPod,
    Stack,
    chat,
    reply,
)

REWRITE = {"X-Task": "rewrite"}
ANSWER = "매출이 늘었습니다."


def test_no_capacity_reads_the_worker_counts() -> None:
    assert no_capacity(WARM) is None
    assert no_capacity(COLD_STARTING) is None  # a worker is on its way
    reason = no_capacity(NO_CAPACITY)
    assert reason is not None and "throttled=2" in reason and "jobs in queue: 1" in reason
    assert no_capacity({"unexpected": True}) is None  # unknown shape: keep waiting, never guess


def test_uses_the_documented_openai_route_of_the_endpoint(stack: Stack) -> None:
    stack.runpod_openai.responder = reply(ANSWER)
    client = stack.router("runpod")
    answer = client.post("/v1/chat/completions", json=chat(), headers=REWRITE)
    assert answer.status_code == 200 and answer.headers["X-LLM-Provider"] == "runpod"
    runpod = next(p for p in client.get("/v1/models").json()["providers"] if p["name"] == "runpod")
    assert runpod["base_url"] == f"{stack.urls['runpod']}/v2/{ENDPOINT_ID}/openai/v1"


def test_cold_start_waits_longer_than_the_usual_first_token_timeout(stack: Stack) -> None:
    stack.runpod = FakeRunPod(stack.runpod_openai, api_key=RUNPOD_KEY, health=COLD_STARTING)
    stack.runpod_openai.responder = reply(ANSWER, delay=1.2)
    stack.openai.responder = reply("openai")
    client = stack.router("openai", "runpod", LLM_FIRST_TOKEN_TIMEOUT_S=0.5, RUNPOD_FIRST_TOKEN_TIMEOUT_S=5)
    streamed = client.post("/v1/chat/completions", json=chat(stream=True), headers=REWRITE)
    assert streamed.headers["X-LLM-Provider"] == "runpod"
    assert ANSWER[:4] in streamed.text
    assert stack.runpod.health_calls >= 2  # it watched the queue while it waited
    plain = client.post("/v1/chat/completions", json=chat(), headers=REWRITE)
    assert plain.headers["X-LLM-Provider"] == "runpod"
    assert len(stack.openai.requests) == 0
    runpod = next(p for p in client.get("/v1/models").json()["providers"] if p["name"] == "runpod")
    assert runpod["runpod_health"]["workers"]["initializing"] == 1


def test_gives_up_early_when_no_worker_can_come(stack: Stack) -> None:
    stack.runpod = FakeRunPod(stack.runpod_openai, api_key=RUNPOD_KEY, health=NO_CAPACITY)
    stack.runpod_openai.responder = reply("stuck in the queue", delay=2.5)
    stack.openai.responder = reply("openai answer")
    client = stack.router("openai", "runpod", RUNPOD_FIRST_TOKEN_TIMEOUT_S=30)
    started = time.perf_counter()
    answer = client.post("/v1/chat/completions", json=chat(), headers=REWRITE)
    elapsed = time.perf_counter() - started
    assert answer.headers["X-LLM-Provider"] == "openai"
    assert elapsed < 2.0  # two health polls, not the 30 s cold-start allowance nor RunPod's 2.5 s answer
    assert answer.json()["choices"][0]["message"]["content"] == "openai answer"


def test_one_bad_health_reading_is_not_enough_to_give_up(stack: Stack) -> None:
    readings = itertools.chain([NO_CAPACITY], itertools.repeat(COLD_STARTING))
    stack.runpod = FakeRunPod(stack.runpod_openai, api_key=RUNPOD_KEY, health=lambda: next(readings))
    stack.runpod_openai.responder = reply(ANSWER, delay=1.0)
    client = stack.router("openai", "runpod")
    answer = client.post("/v1/chat/completions", json=chat(), headers=REWRITE)
    assert answer.headers["X-LLM-Provider"] == "runpod"


def test_a_job_state_answer_cancels_the_job_and_falls_back(stack: Stack) -> None:
    stack.runpod = FakeRunPod(stack.runpod_openai, api_key=RUNPOD_KEY, job_state="IN_QUEUE")
    stack.openai.responder = reply("openai answer")
    client = stack.router("openai", "runpod")
    plain = client.post("/v1/chat/completions", json=chat(), headers=REWRITE)
    assert plain.headers["X-LLM-Provider"] == "openai"
    streamed = client.post("/v1/chat/completions", json=chat(stream=True), headers=REWRITE)
    assert streamed.headers["X-LLM-Provider"] == "openai"
    assert json.loads(streamed.text.split("data: ")[1])["object"] == "chat.completion.chunk"
    assert stack.runpod.cancelled == stack.runpod.job_ids and len(stack.runpod.job_ids) == 2
    circuit = client.get("/v1/models").json()["providers"][1]["circuit"]
    assert "IN_QUEUE" in circuit["last_error"]


def test_runpod_base_url_without_endpoint_id(stack: Stack) -> None:
    stack.runpod_openai.responder = reply(ANSWER)
    url = stack.serve(stack.runpod_openai.app)
    client = stack.start_router(RUNPOD_API_KEY=RUNPOD_KEY, RUNPOD_BASE_URL=url + "/v1")
    answer = client.post("/v1/chat/completions", json=chat(), headers=REWRITE)
    assert answer.status_code == 200 and answer.headers["X-LLM-Provider"] == "runpod"
    runpod = next(p for p in client.get("/v1/models").json()["providers"] if p["name"] == "runpod")
    assert runpod["base_url"] == url + "/v1" and "runpod_health" not in runpod
