"""The router end to end over loopback: routing, fallback, circuit breaking, streaming, usage.

Providers are FakeOpenAI servers (the OpenAI protocol, scripted) on real ports; the router
is the real app on its own port.
"""

import json
import time

import httpx
import pytest

from finscribe_testkit.common.fake_openai import Reply
from finscribe_testkit.llm_router import INTERNAL_TOKEN, LOCAL_KEY, OPENAI_KEY, RUNPOD_KEY, Stack, chat, reply

ANSWER = "삼성전자는 반도체 업황 회복으로 실적이 개선되었습니다."


def sse_events(text: str) -> list[str]:
    return [line[len("data: ") :] for line in text.splitlines() if line.startswith("data: ")]


# -- routing ------------------------------------------------------------------------------


def test_rewrite_goes_to_runpod_and_outline_to_openai(stack: Stack) -> None:
    stack.openai.responder = reply("openai answer")
    stack.runpod_openai.responder = reply("runpod answer")
    client = stack.router("openai", "runpod", "local")

    rewrite = client.post("/v1/chat/completions", json=chat(), headers={"X-Task": "rewrite"})
    assert rewrite.status_code == 200, rewrite.text
    assert rewrite.headers["X-LLM-Provider"] == "runpod"
    assert rewrite.headers["X-LLM-Model"] == "LGAI-EXAONE/EXAONE-3.5-2.4B-Instruct"
    assert rewrite.json()["choices"][0]["message"]["content"] == "runpod answer"
    assert stack.runpod_openai.requests[-1]["model"] == "LGAI-EXAONE/EXAONE-3.5-2.4B-Instruct"
    assert stack.runpod_openai.request_headers[-1]["authorization"] == f"Bearer {RUNPOD_KEY}"

    for task in ("outline", "section", "chart_spec", "answer"):
        answer = client.post("/v1/chat/completions", json=chat(), headers={"X-Task": task})
        assert answer.status_code == 200, answer.text
        assert (answer.headers["X-LLM-Provider"], answer.headers["X-LLM-Model"]) == ("openai", "gpt-4.1-mini")
    assert stack.openai.request_headers[-1]["authorization"] == f"Bearer {OPENAI_KEY}"
    # the internal token and the user never leave FinScribe
    assert "x-internal-token" not in stack.openai.request_headers[-1]
    assert len(stack.local.requests) == 0


def test_routes_and_model_names_come_from_configuration(stack: Stack) -> None:
    client = stack.router("openai", "runpod", "local", OPENAI_MODEL="gpt-4o", OPENAI_MODEL_FAST="gpt-4.1-nano")
    assert client.post("/v1/chat/completions", json=chat()).headers["X-LLM-Model"] == "gpt-4o"
    fast = client.post("/v1/chat/completions", json=chat(model="fast"), headers={"X-Task": "section"})
    assert (fast.headers["X-LLM-Provider"], fast.headers["X-LLM-Model"]) == ("openai", "gpt-4.1-nano")
    quality = client.post("/v1/chat/completions", json=chat(model="quality"))
    assert quality.headers["X-LLM-Model"] == "gpt-4.1"
    explicit = client.post("/v1/chat/completions", json=chat(model="local:llama3.1:8b"))
    assert (explicit.headers["X-LLM-Provider"], explicit.headers["X-LLM-Model"]) == ("local", "llama3.1:8b")
    assert stack.local.requests[-1]["model"] == "llama3.1:8b"
    assert stack.local.request_headers[-1]["authorization"] == f"Bearer {LOCAL_KEY}"


def test_unconfigured_providers_are_skipped(stack: Stack) -> None:
    stack.local.responder = reply("local answer")
    client = stack.router("local")  # neither OpenAI nor RunPod configured
    answer = client.post("/v1/chat/completions", json=chat(), headers={"X-Task": "rewrite"})
    assert answer.status_code == 200
    assert answer.headers["X-LLM-Provider"] == "local"
    assert answer.headers["X-LLM-Attempts"] == "1"


def test_tools_and_response_format_pass_through(stack: Stack) -> None:
    stack.openai.responder = lambda body: Reply(
        content=None, tool_calls=[{"name": "get_price", "arguments": {"ticker": "005930"}}]
    )
    client = stack.router("openai")
    tools = [
        {
            "type": "function",
            "function": {
                "name": "get_price",
                "description": "closing price of a KRX ticker",
                "parameters": {"type": "object", "properties": {"ticker": {"type": "string"}}},
            },
        }
    ]
    response_format = {
        "type": "json_schema",
        "json_schema": {"name": "t", "schema": {"type": "object", "properties": {"ticker": {"type": "string"}}}},
    }
    body = chat(tools=tools, tool_choice="auto", response_format=response_format, temperature=0.1, seed=7)
    answer = client.post("/v1/chat/completions", json=body)
    assert answer.status_code == 200
    sent = stack.openai.requests[-1]
    assert sent["tools"] == tools and sent["response_format"] == response_format
    assert (sent["tool_choice"], sent["temperature"], sent["seed"]) == ("auto", 0.1, 7)
    call = answer.json()["choices"][0]["message"]["tool_calls"][0]
    assert json.loads(call["function"]["arguments"]) == {"ticker": "005930"}


# -- fallback -------------------------------------------------------------------------------


def test_falls_back_from_a_dead_provider(stack: Stack, dead_url: str) -> None:
    stack.runpod_openai.responder = reply(ANSWER)
    client = stack.router("runpod", OPENAI_API_KEY=OPENAI_KEY, OPENAI_BASE_URL=dead_url)
    answer = client.post("/v1/chat/completions", json=chat(), headers={"X-Task": "outline"})
    assert answer.status_code == 200, answer.text
    assert answer.headers["X-LLM-Provider"] == "runpod"
    assert answer.headers["X-LLM-Attempts"] == "2"


def test_falls_back_from_a_slow_provider(stack: Stack) -> None:
    stack.openai.responder = reply("too late", delay=1.5)
    stack.runpod_openai.responder = reply(ANSWER)
    client = stack.router("openai", "runpod", LLM_REQUEST_TIMEOUT_S=0.4, LLM_FIRST_TOKEN_TIMEOUT_S=0.4)
    started = time.perf_counter()
    answer = client.post("/v1/chat/completions", json=chat())
    assert answer.status_code == 200
    assert answer.headers["X-LLM-Provider"] == "runpod"
    assert time.perf_counter() - started < 1.4
    streamed = client.post("/v1/chat/completions", json=chat(stream=True))
    assert streamed.headers["X-LLM-Provider"] == "runpod"
    assert sse_events(streamed.text)[-1] == "[DONE]"


def test_falls_back_from_a_5xx_and_reports_when_all_fail(stack: Stack) -> None:
    stack.openai.responder = reply("", status=503, error_message="overloaded")
    stack.runpod_openai.responder = reply(ANSWER)
    client = stack.router("openai", "runpod")
    answer = client.post("/v1/chat/completions", json=chat())
    assert answer.status_code == 200 and answer.headers["X-LLM-Provider"] == "runpod"

    stack.runpod_openai.responder = reply("", status=500, error_message="worker crashed")
    failed = client.post("/v1/chat/completions", json=chat())
    assert failed.status_code == 502
    error = failed.json()["error"]
    assert error["code"] == "upstream_error" and "worker crashed" in error["message"]
    assert [a["target"] for a in error["details"]["attempts"]] == [
        "openai:gpt-4.1-mini",
        "runpod:LGAI-EXAONE/EXAONE-3.5-2.4B-Instruct",
    ]
    assert failed.headers["X-Request-ID"] == error["request_id"]


def test_honours_retry_after_of_a_429(stack: Stack) -> None:
    stack.openai.responder = reply("", status=429, error_message="slow down", headers={"Retry-After": "30"})
    stack.runpod_openai.responder = reply(ANSWER)
    client = stack.router("openai", "runpod")
    first = client.post("/v1/chat/completions", json=chat())
    assert first.headers["X-LLM-Provider"] == "runpod"
    second = client.post("/v1/chat/completions", json=chat())
    assert second.headers["X-LLM-Provider"] == "runpod"
    assert len(stack.openai.requests) == 1  # not asked again before Retry-After
    openai = next(p for p in client.get("/v1/models").json()["providers"] if p["name"] == "openai")
    assert 25 < openai["rate_limited_for_s"] <= 30
    assert openai["circuit"]["state"] == "closed"  # a rate limit is not a fault


def test_all_rate_limited_answers_429_with_the_shortest_retry_after(stack: Stack) -> None:
    stack.openai.responder = reply("", status=429, headers={"Retry-After": "20"})
    stack.runpod_openai.responder = reply("", status=429, headers={"Retry-After": "7"})
    client = stack.router("openai", "runpod")
    answer = client.post("/v1/chat/completions", json=chat())
    assert answer.status_code == 429
    assert answer.json()["error"]["code"] == "rate_limited"
    assert answer.headers["Retry-After"] == "7"


def test_a_request_the_provider_rejects_is_not_retried_elsewhere(stack: Stack) -> None:
    stack.openai.responder = reply("", status=400, error_message="'messages' must contain the word json")
    client = stack.router("openai", "runpod")
    answer = client.post("/v1/chat/completions", json=chat())
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == "rejected_by_provider" and "must contain the word json" in error["message"]
    assert error["details"]["provider"] == "openai"
    assert len(stack.runpod_openai.requests) == 0


# -- circuit breaker ----------------------------------------------------------------------------


def test_circuit_opens_then_half_open_probe_recovers(stack: Stack) -> None:
    stack.openai.responder = reply("", status=500)
    stack.runpod_openai.responder = reply("runpod")
    client = stack.router("openai", "runpod", LLM_CIRCUIT_FAILURES=2, LLM_CIRCUIT_COOLDOWN_S=1.5)
    for _ in range(2):
        assert client.post("/v1/chat/completions", json=chat()).headers["X-LLM-Provider"] == "runpod"
    assert len(stack.openai.requests) == 2

    open_ = client.post("/v1/chat/completions", json=chat())
    assert open_.headers["X-LLM-Provider"] == "runpod"
    assert len(stack.openai.requests) == 2  # the open circuit keeps requests away
    providers = {p["name"]: p for p in client.get("/v1/models").json()["providers"]}
    assert providers["openai"]["circuit"]["state"] == "open"
    assert providers["runpod"]["circuit"]["state"] == "closed"
    ready = client.get("/readyz")
    assert ready.status_code == 200  # runpod still serves: degraded, reported, not taken out
    assert "circuit open" in ready.json()["checks"]["provider:openai"]
    assert ready.json()["checks"]["provider:runpod"] == "ok"

    time.sleep(1.6)
    assert client.get("/v1/models").json()["providers"][0]["circuit"]["state"] == "half_open"
    stack.openai.responder = reply("openai is back")
    probe = client.post("/v1/chat/completions", json=chat())
    assert probe.headers["X-LLM-Provider"] == "openai"
    assert client.get("/v1/models").json()["providers"][0]["circuit"]["state"] == "closed"
    assert client.get("/readyz").status_code == 200


def test_failed_half_open_probe_opens_the_circuit_again(stack: Stack) -> None:
    stack.openai.responder = reply("", status=502)
    client = stack.router("openai", "runpod", LLM_CIRCUIT_FAILURES=1, LLM_CIRCUIT_COOLDOWN_S=1.0)
    client.post("/v1/chat/completions", json=chat())
    time.sleep(1.1)
    client.post("/v1/chat/completions", json=chat())  # the probe, which fails
    assert len(stack.openai.requests) == 2
    openai = client.get("/v1/models").json()["providers"][0]
    assert openai["circuit"]["state"] == "open" and openai["circuit"]["retry_in_s"] > 0.5


def test_circuit_open_on_the_only_provider_answers_503(stack: Stack) -> None:
    stack.openai.responder = reply("", status=500)
    client = stack.router("openai", LLM_CIRCUIT_FAILURES=1, LLM_CIRCUIT_COOLDOWN_S=30)
    assert client.post("/v1/chat/completions", json=chat()).status_code == 502
    answer = client.post("/v1/chat/completions", json=chat())
    assert answer.status_code == 503
    assert answer.json()["error"]["code"] == "unavailable"
    assert "circuit open" in answer.json()["error"]["details"]["attempts"][0]["skipped"]
    ready = client.get("/readyz")  # no provider left to serve: not ready
    assert ready.status_code == 503
    assert "no other provider can serve" in ready.json()["checks"]["provider:openai"]


# -- streaming ----------------------------------------------------------------------------------


def test_stream_chunks_reach_the_caller_before_the_upstream_finishes(stack: Stack) -> None:
    text = "삼성전자의 매출은 메모리 가격 반등으로 전 분기보다 늘었습니다. " * 2
    stack.openai.responder = reply(text, chunk_chars=6, chunk_delay=0.1)  # about 1.7 s in total
    client = stack.router("openai")
    started = time.perf_counter()
    first_content_at = None
    pieces: list[str] = []
    with client.stream("POST", "/v1/chat/completions", json=chat(stream=True)) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        assert response.headers["X-LLM-Provider"] == "openai"
        for line in response.iter_lines():
            if not line.startswith("data: ") or line == "data: [DONE]":
                continue
            delta = json.loads(line[6:])["choices"][0]["delta"].get("content")
            if delta:
                first_content_at = first_content_at or time.perf_counter() - started
                pieces.append(delta)
    total = time.perf_counter() - started
    assert "".join(pieces) == text
    assert first_content_at is not None and first_content_at < total - 1.0


def test_stream_usage_is_requested_upstream_but_only_relayed_when_asked(stack: Stack) -> None:
    stack.openai.responder = reply(ANSWER, prompt_tokens=40, completion_tokens=12)
    client = stack.router("openai")
    plain = client.post("/v1/chat/completions", json=chat(stream=True))
    assert stack.openai.requests[-1]["stream_options"] == {"include_usage": True}
    assert all("usage" not in json.loads(e) for e in sse_events(plain.text) if e != "[DONE]")
    asked = client.post("/v1/chat/completions", json=chat(stream=True, stream_options={"include_usage": True}))
    usage_chunks = [json.loads(e) for e in sse_events(asked.text) if e != "[DONE]" and "usage" in json.loads(e)]
    assert usage_chunks[-1]["usage"]["completion_tokens"] == 12
    totals = client.get("/v1/usage").json()["total"]
    assert (totals["prompt_tokens"], totals["completion_tokens"], totals["estimated_requests"]) == (80, 24, 0)
    # the caller who asked for usage also gets the cost the router booked
    cost = (40 * 0.40 + 12 * 1.60) / 1e6
    assert usage_chunks[-1]["usage"]["cost_usd"] == pytest.approx(cost)
    assert totals["cost_usd"] == pytest.approx(2 * cost)


def test_a_non_streaming_answer_carries_its_cost(stack: Stack) -> None:
    stack.openai.responder = reply(ANSWER, prompt_tokens=1000, completion_tokens=100)
    client = stack.router("openai")
    answer = client.post("/v1/chat/completions", json=chat())
    assert float(answer.headers["X-LLM-Cost-USD"]) == pytest.approx((1000 * 0.40 + 100 * 1.60) / 1e6)
    assert answer.json()["usage"] == {"prompt_tokens": 1000, "completion_tokens": 100, "total_tokens": 1100}


def test_stream_falls_back_before_the_first_byte(stack: Stack) -> None:
    stack.openai.responder = reply("", status=503)
    stack.runpod_openai.responder = reply(ANSWER)
    client = stack.router("openai", "runpod")
    answer = client.post("/v1/chat/completions", json=chat(stream=True))
    assert answer.headers["X-LLM-Provider"] == "runpod"
    assert sse_events(answer.text)[-1] == "[DONE]"


def test_no_fallback_once_the_stream_started(stack: Stack) -> None:
    stack.openai.responder = reply(ANSWER, chunk_chars=4, break_stream_after=2)
    stack.runpod_openai.responder = reply("never spliced in")
    client = stack.router("openai", "runpod")
    answer = client.post("/v1/chat/completions", json=chat(stream=True))
    assert answer.status_code == 200
    events = sse_events(answer.text)
    assert "[DONE]" not in events
    error = json.loads(events[-1])["error"]
    assert error["code"] == "stream_interrupted" and error["provider"] == "openai"
    contents = [json.loads(e)["choices"][0]["delta"].get("content") for e in events[:-1]]
    assert "".join(c for c in contents if c) == ANSWER[:8]
    assert len(stack.runpod_openai.requests) == 0
    assert "never spliced in" not in answer.text
    circuit = client.get("/v1/models").json()["providers"][0]["circuit"]
    assert circuit["consecutive_failures"] == 1
    assert client.get("/v1/usage").json()["total"]["failed"] == 1


def test_a_stream_that_goes_quiet_ends_with_an_error_event(stack: Stack) -> None:
    stack.openai.responder = reply(ANSWER, chunk_chars=10, chunk_delay=1.0)
    client = stack.router("openai", LLM_STREAM_IDLE_TIMEOUT_S=0.3)
    answer = client.post("/v1/chat/completions", json=chat(stream=True))
    error = json.loads(sse_events(answer.text)[-1])["error"]
    assert error["code"] == "upstream_timeout"


# -- accounting and budget ----------------------------------------------------------------------


def test_usage_by_provider_model_task_and_user(stack: Stack) -> None:
    stack.openai.responder = reply(ANSWER, prompt_tokens=1000, completion_tokens=500)
    stack.runpod_openai.responder = reply(ANSWER, include_usage=False)
    client = stack.router("openai", "runpod")
    for task, user in (("outline", "user-a"), ("section", "user-a"), ("rewrite", "user-b")):
        answer = client.post("/v1/chat/completions", json=chat(), headers={"X-Task": task, "X-User": user})
        assert answer.status_code == 200
    report = client.get("/v1/usage").json()
    openai = report["by_model"]["openai:gpt-4.1-mini"]
    assert float(answer.headers["X-LLM-Cost-USD"]) > 0  # the last one, on RunPod (per second)
    assert (openai["requests"], openai["prompt_tokens"], openai["completion_tokens"]) == (2, 2000, 1000)
    # gpt-4.1-mini: 0.40 USD per 1M input, 1.60 USD per 1M output
    assert abs(openai["cost_usd"] - (2000 * 0.40 + 1000 * 1.60) / 1e6) < 1e-9
    runpod = report["by_provider"]["runpod"]
    assert runpod["estimated_requests"] == 1 and runpod["completion_tokens"] > 0 and runpod["cost_usd"] > 0
    assert set(report["by_task"]) == {"outline", "section", "rewrite"}
    assert report["by_user"]["user-a"]["requests"] == 2
    assert client.get("/v1/usage", params={"user": "user-b"}).json()["total"]["requests"] == 1
    assert report["tokenizer"] == "chars"


def test_daily_budget_per_user(stack: Stack) -> None:
    stack.openai.responder = reply(ANSWER, prompt_tokens=100_000, completion_tokens=10_000)
    client = stack.router("openai", LLM_USER_DAILY_BUDGET_USD=0.01)
    headers = {"X-User": "heavy-user", "X-Task": "section"}
    assert client.post("/v1/chat/completions", json=chat(), headers=headers).status_code == 200  # 0.056 USD
    over = client.post("/v1/chat/completions", json=chat(), headers=headers)
    assert over.status_code == 429
    assert over.json()["error"]["code"] == "budget_exceeded"
    assert 0 < int(over.headers["Retry-After"]) <= 86_400
    assert len(stack.openai.requests) == 1
    other = client.post("/v1/chat/completions", json=chat(), headers={"X-User": "light-user"})
    assert other.status_code == 200
    assert client.get("/v1/usage").json()["daily_budget_usd"] == 0.01


# -- configuration and bad input -------------------------------------------------------------------


def test_none_configured_is_503_naming_the_variables(stack: Stack) -> None:
    client = stack.router()
    answer = client.post("/v1/chat/completions", json=chat())
    assert answer.status_code == 503
    error = answer.json()["error"]
    assert error["code"] == "not_configured"
    for variable in ("OPENAI_API_KEY", "RUNPOD_API_KEY", "RUNPOD_ENDPOINT_ID", "LOCAL_LLM_BASE_URL"):
        assert variable in error["message"]
    ready = client.get("/readyz")
    assert ready.status_code == 503 and "OPENAI_API_KEY" in ready.json()["checks"]["providers"]


def test_explicit_target_of_an_unconfigured_provider(stack: Stack) -> None:
    client = stack.router("openai")
    answer = client.post("/v1/chat/completions", json=chat(model="runpod:some-model"))
    assert answer.status_code == 503
    assert "RUNPOD_API_KEY" in answer.json()["error"]["message"]
    assert "OPENAI_API_KEY" not in answer.json()["error"]["message"]


def test_bad_requests_get_clear_errors(stack: Stack) -> None:
    client = stack.router("openai")
    no_token = httpx.post(stack.urls["router"] + "/v1/chat/completions", json=chat())
    assert no_token.status_code == 401 and no_token.json()["error"]["code"] == "unauthenticated"
    not_json = client.post("/v1/chat/completions", content=b"{oops", headers={"Content-Type": "application/json"})
    assert not_json.status_code == 400 and not_json.json()["error"]["code"] == "bad_request"
    no_messages = client.post("/v1/chat/completions", json={"model": "auto", "messages": []})
    assert no_messages.status_code == 422 and "messages" in no_messages.json()["error"]["message"]
    unknown_route = client.post("/v1/chat/completions", json=chat(model="gpt-4o"))
    assert unknown_route.status_code == 400 and unknown_route.json()["error"]["code"] == "unknown_model"
    assert "auto" in unknown_route.json()["error"]["message"]
    unknown_provider = client.post("/v1/chat/completions", json=chat(model="anthropic:claude"))
    assert unknown_provider.status_code == 400
    unknown_task = client.post("/v1/chat/completions", json=chat(), headers={"X-Task": "poem"})
    assert unknown_task.status_code == 400 and unknown_task.json()["error"]["code"] == "unknown_task"
    assert len(stack.openai.requests) == 0


def test_models_lists_routes_and_provider_health(stack: Stack) -> None:
    client = stack.router("openai", "runpod")
    listing = client.get("/v1/models").json()
    assert listing["object"] == "list"
    routes = {m["id"]: m["targets"] for m in listing["data"]}
    assert routes["auto"]["rewrite"][0].startswith("runpod:")
    assert routes["auto"]["default"][0] == "openai:gpt-4.1-mini"
    providers = {p["name"]: p for p in listing["providers"]}
    assert providers["openai"]["configured"] and providers["runpod"]["configured"]
    assert providers["local"]["configured"] is False and providers["local"]["missing"] == ["LOCAL_LLM_BASE_URL"]
    assert "api_key" not in json.dumps(listing).lower().replace("llm_api_key", "")
    assert OPENAI_KEY not in json.dumps(listing) and RUNPOD_KEY not in json.dumps(listing)
    ready = client.get("/readyz").json()
    assert ready["checks"] == {"providers": "ok", "provider:openai": "ok", "provider:runpod": "ok"}


def test_request_id_travels_to_the_provider(stack: Stack) -> None:
    client = stack.router("openai")
    answer = client.post("/v1/chat/completions", json=chat(), headers={"X-Request-ID": "run-42.section-3"})
    assert answer.headers["X-Request-ID"] == "run-42.section-3"
    assert stack.openai.request_headers[-1]["x-request-id"] == "run-42.section-3"


def test_a_caller_leaving_mid_stream_frees_the_upstream(stack: Stack) -> None:
    stack.openai.responder = reply(ANSWER * 5, chunk_chars=4, chunk_delay=0.1)
    client = stack.router("openai", LLM_CIRCUIT_FAILURES=1)
    with client.stream("POST", "/v1/chat/completions", json=chat(stream=True), headers={"X-User": "u"}) as response:
        for line in response.iter_lines():
            if '"content"' in line and '"content": ""' not in line:
                break  # hang up after the first piece of text
    deadline = time.monotonic() + 5
    while client.get("/v1/usage").json()["total"]["requests"] == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    usage = client.get("/v1/usage").json()["total"]
    assert usage["requests"] == 1 and usage["failed"] == 0 and usage["estimated_requests"] == 1
    # leaving says nothing about the provider: its circuit stays closed and it keeps serving
    assert client.get("/v1/models").json()["providers"][0]["circuit"]["consecutive_failures"] == 0
    assert client.post("/v1/chat/completions", json=chat()).status_code == 200


def test_a_wrong_key_counts_against_the_provider_and_falls_back(stack: Stack) -> None:
    stack.runpod_openai.responder = reply(ANSWER)
    env = stack.start_providers("openai", "runpod")
    client = stack.start_router(**{**env, "OPENAI_API_KEY": "sk-revoked"})
    answer = client.post("/v1/chat/completions", json=chat())
    assert answer.headers["X-LLM-Provider"] == "runpod"
    openai = client.get("/v1/models").json()["providers"][0]
    assert openai["circuit"]["consecutive_failures"] == 1
    assert "401" in openai["circuit"]["last_error"] and "Incorrect API key" in openai["circuit"]["last_error"]


def test_a_rejected_stream_request_is_an_error_response_not_a_stream(stack: Stack) -> None:
    stack.openai.responder = reply("", status=422, error_message="max_tokens must be at least 1")
    client = stack.router("openai", "runpod")
    answer = client.post("/v1/chat/completions", json=chat(stream=True, max_tokens=0))
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("application/json")
    assert "max_tokens must be at least 1" in answer.json()["error"]["message"]
    assert len(stack.runpod_openai.requests) == 0


async def test_concurrent_streams_each_get_their_own_answer(stack: Stack) -> None:
    import asyncio

    stack.openai.responder = lambda body: Reply(
        content=f"답변 {body['messages'][0]['content']} 끝", chunk_chars=2, chunk_delay=0.02
    )
    stack.router("openai")
    headers = {"X-Internal-Token": INTERNAL_TOKEN}

    async def one(client: httpx.AsyncClient, n: int) -> str:
        text = []
        async with client.stream("POST", "/v1/chat/completions", json=chat(f"질문{n}", stream=True)) as response:
            async for line in response.aiter_lines():
                if line.startswith("data: {"):
                    delta = json.loads(line[6:])["choices"][0]["delta"]
                    text.append(delta.get("content") or "")
        return "".join(text)

    async with httpx.AsyncClient(base_url=stack.urls["router"], headers=headers, timeout=30) as client:
        answers = await asyncio.gather(*(one(client, n) for n in range(20)))
    assert answers == [f"답변 질문{n} 끝" for n in range(20)]
    usage = httpx.get(stack.urls["router"] + "/v1/usage", headers=headers).json()["total"]
    assert usage["requests"] == 20 and usage["failed"] == 0


def test_usage_of_one_request_id_covers_streams_and_answers(stack: Stack) -> None:
    stack.openai.responder = reply(ANSWER, prompt_tokens=300, completion_tokens=50)
    stack.runpod_openai.responder = reply(ANSWER, prompt_tokens=100, completion_tokens=20)
    client = stack.router("openai", "runpod")
    run = {"X-Request-ID": "run-7f3a", "X-User": "u"}
    client.post("/v1/chat/completions", json=chat(), headers={**run, "X-Task": "outline"})
    client.post("/v1/chat/completions", json=chat(stream=True), headers={**run, "X-Task": "section"})
    client.post("/v1/chat/completions", json=chat(stream=True), headers={**run, "X-Task": "rewrite"})
    client.post("/v1/chat/completions", json=chat(), headers={"X-Request-ID": "another-run"})
    usage = client.get("/v1/usage/requests/run-7f3a").json()
    assert usage["total"]["requests"] == 3
    assert (usage["total"]["prompt_tokens"], usage["total"]["completion_tokens"]) == (700, 120)
    assert usage["by_provider"]["openai"]["requests"] == 2 and usage["by_provider"]["runpod"]["requests"] == 1
    openai_cost = 2 * (300 * 0.40 + 50 * 1.60) / 1e6
    assert usage["by_model"]["openai:gpt-4.1-mini"]["cost_usd"] == pytest.approx(openai_cost)
    assert usage["by_provider"]["runpod"]["cost_usd"] > 0
    missing = client.get("/v1/usage/requests/never-seen")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_a_stream_that_opens_with_an_error_event_still_falls_back(stack: Stack) -> None:
    from starlette.applications import Starlette
    from starlette.responses import StreamingResponse
    from starlette.routing import Route

    async def failing_stream(request):  # how vLLM reports a failure once it has answered 200
        async def events():
            error = {"object": "error", "message": "CUDA out of memory", "type": "InternalServerError", "code": 500}
            yield f"data: {json.dumps({'error': error})}\n\n".encode()
            yield b"data: [DONE]\n\n"

        return StreamingResponse(events(), media_type="text/event-stream")

    vllm = Starlette(routes=[Route("/v1/chat/completions", failing_stream, methods=["POST"])])
    stack.runpod_openai.responder = reply(ANSWER)
    env = stack.start_providers("runpod")
    local_first = '{"auto": {"default": ["local", "runpod"]}}'
    client = stack.start_router(**env, LOCAL_LLM_BASE_URL=stack.serve(vllm) + "/v1", LLM_ROUTES=local_first)
    answer = client.post("/v1/chat/completions", json=chat(stream=True))
    assert answer.headers["X-LLM-Provider"] == "runpod"
    assert answer.headers["X-LLM-Attempts"] == "2"
    assert "CUDA" not in answer.text and sse_events(answer.text)[-1] == "[DONE]"
    explicit = client.post("/v1/chat/completions", json=chat(model="local", stream=True))
    assert explicit.status_code == 502 and "CUDA out of memory" in explicit.json()["error"]["message"]


def test_a_streaming_probe_closes_the_circuit_at_its_first_byte(stack: Stack) -> None:
    stack.openai.responder = reply("", status=500)
    stack.runpod_openai.responder = reply("runpod")
    client = stack.router("openai", "runpod", LLM_CIRCUIT_FAILURES=1, LLM_CIRCUIT_COOLDOWN_S=0.8)
    assert client.post("/v1/chat/completions", json=chat()).headers["X-LLM-Provider"] == "runpod"
    time.sleep(0.9)
    stack.openai.responder = reply(ANSWER * 2, chunk_chars=6, chunk_delay=0.1)  # a stream of about 1 s
    with client.stream("POST", "/v1/chat/completions", json=chat(stream=True)) as probe:
        assert probe.headers["X-LLM-Provider"] == "openai"
        lines = probe.iter_lines()
        next(lines)  # the probe is streaming
        during = client.post("/v1/chat/completions", json=chat())
        assert during.headers["X-LLM-Provider"] == "openai"  # not held off until the probe's stream ends
        for _ in lines:
            pass
