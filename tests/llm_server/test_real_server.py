"""The llm-router and the orchestrator against the real llama.cpp server (see conftest.py).

What the model writes is not pinned (a 135M model writes what it writes); what is pinned is
the protocol around it: which shapes the server refused and which it took, that the router
retried the same target, that usage is the server's own or marked estimated, and that the
orchestrator's runs completed with text the model wrote."""

import json
from pathlib import Path

import pytest

from finscribe_llm_router.config import DEFAULT_ROUTES_FILE
from finscribe_testkit.common.fake_openai import FakeOpenAI
from finscribe_testkit.common.server import serve_in_thread
from finscribe_testkit.orchestrator.runner import AS_OF, Runner, completed

SCHEMA = {
    "title": "Company",
    "type": "object",
    "properties": {"name": {"type": "string", "maxLength": 40}, "listed": {"type": "boolean"}},
    "required": ["name", "listed"],
}
ASK = [{"role": "user", "content": "Name one company listed in Korea. Answer in JSON."}]
# slow model, one request at a time: sections one after another, generous deadlines, a ceiling per answer
RUN_SETTINGS = {"max_concurrency": 1, "section_timeout_s": 600.0, "llm_timeout_s": 600.0, "llm_max_tokens": 200}
SECTIONS = ["개요", "주가 동향"]  # two sections keep a draft to a few minutes on this model


def data_events(text: str) -> list[str]:
    return [line[len("data: ") :] for line in text.splitlines() if line.startswith("data: ")]


def streamed_text(events: list[str]) -> str:
    chunks = [json.loads(e) for e in events if e != "[DONE]"]
    return "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks if c.get("choices"))


def test_chat_through_the_router(start_router, llama_server) -> None:
    router = start_router()
    answer = router.client.post(
        "/v1/chat/completions",
        json={"model": "auto", "messages": [{"role": "user", "content": "Say hello."}], "max_tokens": 30},
        headers={"X-Task": "rewrite"},
    )
    assert answer.status_code == 200, answer.text
    assert (answer.headers["X-LLM-Provider"], answer.headers["X-LLM-Model"]) == ("local", llama_server.model)
    body = answer.json()
    assert body["choices"][0]["message"]["content"].strip()
    assert body["usage"]["completion_tokens"] > 0  # llama.cpp counts non-streamed answers itself
    assert "X-LLM-Usage-Estimated" not in answer.headers


def test_streaming_with_and_without_usage(start_router) -> None:
    router = start_router(LOCAL_LLM_KIND="llamacpp")
    request = {"model": "auto", "messages": [{"role": "user", "content": "Count to five."}], "max_tokens": 30}
    plain = router.client.post("/v1/chat/completions", json={**request, "stream": True})
    assert plain.status_code == 200 and plain.headers["content-type"].startswith("text/event-stream")
    events = data_events(plain.text)
    assert events[-1] == "[DONE]" and streamed_text(events).strip()
    assert not any("usage" in json.loads(e) for e in events[:-1])

    with_usage = router.client.post(
        "/v1/chat/completions", json={**request, "stream": True, "stream_options": {"include_usage": True}}
    )
    events = data_events(with_usage.text)
    assert events[-1] == "[DONE]"
    usage = json.loads(events[-2])["usage"]  # llama.cpp streams none: the router's count, marked
    assert usage["estimated"] is True and usage["completion_tokens"] > 0 and usage["cost_usd"] == 0
    assert streamed_text(events[:-2]).strip()
    report = router.client.get("/v1/usage").json()["total"]
    assert report["estimated_requests"] == 2 and report["requests"] == 2


def test_structured_output_as_json_object_with_schema(start_router) -> None:
    router = start_router(LOCAL_LLM_KIND="llamacpp")
    response_format = {"type": "json_schema", "json_schema": {"name": "Company", "schema": SCHEMA}}
    answer = router.client.post(
        "/v1/chat/completions",
        json={"model": "auto", "messages": ASK, "response_format": response_format, "max_tokens": 120},
        headers={"X-Task": "grade"},
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["X-LLM-Structured-Output"] == "json_object_schema"
    assert answer.headers["X-LLM-Attempts"] == "1"  # the configured kind sent the right shape first
    company = json.loads(answer.json()["choices"][0]["message"]["content"])  # the server's grammar held
    assert set(company) == {"name", "listed"} and isinstance(company["listed"], bool)


def test_a_refused_json_schema_is_retried_on_the_same_server(start_router, llama_server) -> None:
    # the router takes the server for Ollama (the default local kind) and sends json_schema;
    # a second provider that must never be asked stands behind it in the route
    untouched = FakeOpenAI(api_key="sk-unused")
    with serve_in_thread(untouched.app) as openai_url:
        router = start_router(
            OPENAI_API_KEY="sk-unused",
            OPENAI_BASE_URL=f"{openai_url}/v1",
            LLM_ROUTES='{"auto": {"default": ["local", "openai"]}}',
        )
        response_format = {"type": "json_schema", "json_schema": {"name": "Company", "schema": SCHEMA}}
        request = {"model": "auto", "messages": ASK, "response_format": response_format, "max_tokens": 120}
        answer = router.client.post("/v1/chat/completions", json=request)
        assert answer.status_code == 200, answer.text
        assert answer.headers["X-LLM-Provider"] == "local" and answer.headers["X-LLM-Attempts"] == "2"
        assert answer.headers["X-LLM-Structured-Output"] == "json_object_schema"
        assert set(json.loads(answer.json()["choices"][0]["message"]["content"])) == {"name", "listed"}
        assert untouched.requests == []
        learned = router.client.get("/v1/models").json()["capabilities"][f"local:{llama_server.model}"]
        # the real server's own refusal: a 500 whose message is pydantic's literal error
        assert "Input should be 'text' or 'json_object'" in learned["learned"][0]["reason"]
        assert "answered 500" in learned["learned"][0]["reason"]
        again = router.client.post("/v1/chat/completions", json=request)
        assert again.headers["X-LLM-Attempts"] == "1"  # remembered


async def test_a_rewrite_run_completed_by_the_model(start_router, services) -> None:
    router = start_router()
    runner = Runner({**services.transports, "llm": router.transport}, **RUN_SETTINGS)
    text = "삼성전자의 2024년 상반기 매출은 145조 9,839억원이었다."
    events = await runner.run("rewrite", "", text=text, mode="polish")
    result = completed(events)
    deltas = "".join(d["text"] for t, d in events if t == "section.delta")
    assert deltas.strip() and result["markdown"].strip()
    assert result["usage"]["by_provider"].keys() == {"local"} and result["usage"]["llm_calls"] >= 1
    assert "llm_unavailable" not in [w["code"] for w in result["warnings"]]


async def test_a_draft_is_written_by_the_model(start_router, services, llama_server) -> None:
    router = start_router()  # default local kind: the outline's json_schema is refused, then learned
    runner = Runner({**services.transports, "llm": router.transport}, **{**RUN_SETTINGS, "llm_max_tokens": 500})
    events = await runner.run(
        "draft", "삼성전자 분석", company="삼성전자", length="short", sections=SECTIONS, as_of=AS_OF
    )
    result = completed(events)
    codes = [w["code"] for w in result["warnings"]]
    assert "llm_unavailable" not in codes, result["warnings"]
    sections = [d for t, d in events if t == "section.done"]
    streamed = {d["section_id"] for t, d in events if t == "section.delta"}
    assert sections and streamed == {d["section_id"] for d in sections}  # every section came from the model
    assert "section_fallback" not in codes
    learned = router.client.get("/v1/models").json()["capabilities"][f"local:{llama_server.model}"]
    assert learned["structured_output"] == "json_object_schema" and learned["learned"]
    usage = router.client.get("/v1/usage").json()
    assert usage["by_provider"].keys() == {"local"} and usage["total"]["failed"] == 0
    if "outline_fallback" in codes:  # the grammar held the shape; a 135M model may still miss the limits
        assert next(w for w in result["warnings"] if w["code"] == "outline_fallback")["step"] == "outline"


async def test_a_draft_keeps_its_llm_sections_when_the_outline_does_not_validate(
    start_router, services, tmp_path: Path
) -> None:
    # a server that cannot enforce a schema (structured output by prompt only): the 135M model's
    # outline JSON does not validate, is repaired once, then the outline alone falls back
    routes = DEFAULT_ROUTES_FILE.read_text(encoding="utf-8").replace(
        "capabilities: {}", 'capabilities:\n  "local:*": {structured_output: prompt}'
    )
    (tmp_path / "routes.yaml").write_text(routes, encoding="utf-8")
    router = start_router(LOCAL_LLM_KIND="llamacpp", LLM_ROUTES_FILE=str(tmp_path / "routes.yaml"))
    runner = Runner({**services.transports, "llm": router.transport}, **RUN_SETTINGS)
    events = await runner.run(
        "draft", "삼성전자 분석", company="삼성전자", length="short", sections=SECTIONS, as_of=AS_OF
    )
    result = completed(events)
    warnings = {w["code"]: w for w in result["warnings"]}
    assert "llm_unavailable" not in warnings
    assert warnings["outline_fallback"]["step"] == "outline", result["warnings"]
    sections = [d for t, d in events if t == "section.done"]
    streamed = {d["section_id"] for t, d in events if t == "section.delta"}
    assert [d["title"] for d in sections] == SECTIONS and streamed == {d["section_id"] for d in sections}
    assert "section_fallback" not in warnings
    outline_calls = router.client.get("/v1/usage").json()["by_task"]["outline"]["requests"]
    assert outline_calls == 2  # the answer and its one repair


pytestmark = pytest.mark.timeout(1200)
