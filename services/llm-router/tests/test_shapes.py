"""Servers that take different request shapes, end to end over loopback: a refused shape is
retried on the SAME target in the shape it takes (and remembered), tools go only where they
are taken, and usage that a stream does not carry is estimated and marked.

The providers are `FakeOpenAI` in its server modes (llama-cpp-python's server, vLLM), whose
differences are written from those servers' documentation (see finscribe_testkit.common.fake_openai).
"""

import json
import tempfile
from pathlib import Path

from finscribe_llm_router.config import DEFAULT_ROUTES_FILE
from finscribe_testkit.common.fake_openai import FakeOpenAI, Reply
from finscribe_testkit.llm_router import LOCAL_KEY, RUNPOD_KEY, Stack, chat, reply

SCHEMA = {"title": "Answer", "type": "object", "properties": {"value": {"type": "integer"}}, "required": ["value"]}
JSON_SCHEMA = {"type": "json_schema", "json_schema": {"name": "Answer", "schema": SCHEMA}}
TOOLS = [
    {
        "type": "function",
        "function": {"name": "stock_prices", "parameters": {"type": "object", "properties": {}}},
    }
]


def sse_data(text: str) -> list[str]:
    return [line[len("data: ") :] for line in text.splitlines() if line.startswith("data: ")]


def test_a_refused_json_schema_is_retried_on_the_same_target_and_remembered(stack: Stack) -> None:
    # a local llama-cpp-python server the router takes for Ollama (the default kind): it answers
    # json_schema with a 500 naming response_format
    stack.local = FakeOpenAI(lambda body: Reply(content='{"value": 3}'), api_key=LOCAL_KEY, server="llamacpp")
    stack.openai.responder = reply('{"value": 99}')
    client = stack.router("local", "openai", LLM_ROUTES='{"auto": {"default": ["local", "openai"]}}')

    answer = client.post("/v1/chat/completions", json=chat(response_format=JSON_SCHEMA), headers={"X-Task": "grade"})
    assert answer.status_code == 200, answer.text
    assert (answer.headers["X-LLM-Provider"], answer.headers["X-LLM-Attempts"]) == ("local", "2")
    assert answer.headers["X-LLM-Structured-Output"] == "json_object_schema"
    assert json.loads(answer.json()["choices"][0]["message"]["content"]) == {"value": 3}
    first, second = stack.local.requests
    assert first["response_format"] == JSON_SCHEMA
    assert second["response_format"] == {"type": "json_object", "schema": SCHEMA}
    assert not stack.openai.requests  # never moved on to another provider
    assert stack.local.refused == [first]

    # remembered: the next structured call goes out in the supported shape at once
    again = client.post("/v1/chat/completions", json=chat(response_format=JSON_SCHEMA))
    assert again.headers["X-LLM-Attempts"] == "1" and len(stack.local.requests) == 3
    models = client.get("/v1/models").json()
    local = models["capabilities"]["local:qwen2.5:7b-instruct"]
    assert local["structured_output"] == "json_object_schema"
    assert local["learned"][0]["feature"] == "structured_output"
    assert "Input should be 'text' or 'json_object'" in local["learned"][0]["reason"]
    # the provider stayed healthy: a refused shape is not an outage
    assert next(p for p in models["providers"] if p["name"] == "local")["circuit"]["consecutive_failures"] == 0


def test_the_configured_kind_sends_the_right_shape_first(stack: Stack) -> None:
    stack.local = FakeOpenAI(lambda body: Reply(content='{"value": 1}'), api_key=LOCAL_KEY, server="llamacpp")
    client = stack.router("local", LOCAL_LLM_KIND="llamacpp")
    answer = client.post("/v1/chat/completions", json=chat(response_format=JSON_SCHEMA))
    assert answer.status_code == 200 and answer.headers["X-LLM-Attempts"] == "1"
    assert stack.local.requests[0]["response_format"] == {"type": "json_object", "schema": SCHEMA}
    assert not stack.local.refused


def test_a_server_without_tools_is_skipped_for_a_tool_request(stack: Stack) -> None:
    stack.local = FakeOpenAI(reply("text only"), api_key=LOCAL_KEY, server="llamacpp")
    stack.openai.responder = lambda body: Reply(content=None, tool_calls=[{"name": "stock_prices", "arguments": {}}])
    routes = '{"auto": {"default": ["local", "openai"]}}'
    client = stack.router("local", "openai", LOCAL_LLM_KIND="llamacpp", LLM_ROUTES=routes)
    answer = client.post("/v1/chat/completions", json=chat(tools=TOOLS))
    assert answer.status_code == 200 and answer.headers["X-LLM-Provider"] == "openai"
    assert answer.json()["choices"][0]["message"]["tool_calls"][0]["function"]["name"] == "stock_prices"
    assert not stack.local.requests  # never asked: its answer would have ignored the tools

    # only servers without tools: the caller hears it and can ask without tools
    only_local = stack.start_router(
        LOCAL_LLM_BASE_URL=stack.urls["local"] + "/v1", LOCAL_LLM_API_KEY=LOCAL_KEY, LOCAL_LLM_KIND="llamacpp"
    )
    refused = only_local.post("/v1/chat/completions", json=chat(tools=TOOLS))
    assert refused.status_code == 400
    error = refused.json()["error"]
    assert error["code"] == "tools_unsupported" and "local:qwen2.5:7b-instruct" in error["message"]
    assert not stack.local.requests
    # tool_choice "none" is the same request without tools: it goes through
    fine = only_local.post("/v1/chat/completions", json=chat(tools=TOOLS, tool_choice="none"))
    assert fine.status_code == 200 and "tools" not in stack.local.requests[-1]


def test_a_refused_tool_request_is_learned_and_moves_on(stack: Stack) -> None:
    # vLLM without --enable-auto-tool-choice, configured as if it had it
    stack.runpod_openai = FakeOpenAI(reply("x"), api_key=RUNPOD_KEY, server="vllm")
    stack.local.responder = lambda body: Reply(content=None, tool_calls=[{"name": "stock_prices", "arguments": {}}])
    stack.local.server = "ollama"
    routes = '{"auto": {"default": ["runpod", "local"]}}'
    client = stack.router("runpod", "local", LLM_ROUTES=routes, LLM_ROUTES_FILE=_routes_with_runpod_tools())
    answer = client.post("/v1/chat/completions", json=chat(tools=TOOLS))
    assert answer.status_code == 200, answer.text
    assert answer.headers["X-LLM-Provider"] == "local" and answer.headers["X-LLM-Attempts"] == "2"
    assert len(stack.runpod_openai.refused) == 1
    client.post("/v1/chat/completions", json=chat(tools=TOOLS))
    assert len(stack.runpod_openai.requests) == 1  # learned: not asked again with tools
    caps = client.get("/v1/models").json()["capabilities"]["runpod:LGAI-EXAONE/EXAONE-3.5-2.4B-Instruct"]
    assert caps["tools"] is False and "--enable-auto-tool-choice" in caps["learned"][0]["reason"]


def _routes_with_runpod_tools() -> str:
    """The default routing file, with runpod marked as a vLLM started with its tool-call flags."""
    text = DEFAULT_ROUTES_FILE.read_text(encoding="utf-8").replace(
        "capabilities: {}", 'capabilities:\n  "runpod:*": {tools: true}'
    )
    path = Path(tempfile.mkdtemp(prefix="routes-")) / "routes.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_usage_a_stream_does_not_carry_is_estimated_and_marked(stack: Stack) -> None:
    answer = "삼성전자 실적이 좋아졌습니다."
    stack.local = FakeOpenAI(reply(answer, chunk_chars=4), api_key=LOCAL_KEY, server="llamacpp")
    client = stack.router("local", LOCAL_LLM_KIND="llamacpp")
    body = chat(stream=True, stream_options={"include_usage": True})
    streamed = client.post("/v1/chat/completions", json=body, headers={"X-Task": "rewrite"})
    assert streamed.status_code == 200
    events = sse_data(streamed.text)
    assert events[-1] == "[DONE]"
    usage = json.loads(events[-2])["usage"]
    assert usage["estimated"] is True and usage["completion_tokens"] > 0 and usage["cost_usd"] == 0
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]
    assert "stream_options" not in stack.local.requests[-1]  # llama-cpp-python has none
    text = "".join((json.loads(e)["choices"] or [{"delta": {}}])[0]["delta"].get("content") or "" for e in events[:-2])
    assert text == answer

    # without include_usage the stream is relayed as the server sent it, with its own [DONE]
    plain = client.post("/v1/chat/completions", json=chat(stream=True))
    assert all("usage" not in e for e in sse_data(plain.text)) and sse_data(plain.text)[-1] == "[DONE]"
    row = client.get("/v1/usage").json()["by_task"]["rewrite"]
    assert row["estimated_requests"] == 1


def test_an_answer_without_usage_is_marked_estimated(stack: Stack) -> None:
    stack.local.responder = reply("답", include_usage=False)
    client = stack.router("local")
    answer = client.post("/v1/chat/completions", json=chat())
    assert answer.headers["X-LLM-Usage-Estimated"] == "true"
    stack.local.responder = reply("답")
    assert "X-LLM-Usage-Estimated" not in client.post("/v1/chat/completions", json=chat()).headers
