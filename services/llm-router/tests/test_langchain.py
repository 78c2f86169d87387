"""langchain-openai's ChatOpenAI, pointed at the router, works unchanged (as the orchestrator uses it)."""

import json

import openai
import pytest
from langchain_core.messages import HumanMessage
from langchain_openai import ChatOpenAI
from pydantic import BaseModel, Field

from finscribe_testkit.common.fake_openai import Reply
from finscribe_testkit.llm_router import INTERNAL_TOKEN, Stack, reply

PARAGRAPH = "삼성전자는 메모리 반도체 수요 회복에 힘입어 영업이익이 개선되었다."


class Outline(BaseModel):
    title: str = Field(description="document title")
    sections: list[str] = Field(description="section titles in order")


def chat_model(stack: Stack, task: str, **kwargs: object) -> ChatOpenAI:
    return ChatOpenAI(
        model="auto",
        base_url=stack.urls["router"] + "/v1",
        api_key="unused-by-the-router",
        default_headers={"X-Internal-Token": INTERNAL_TOKEN, "X-Task": task, "X-User": "google-sub-1"},
        max_retries=0,
        timeout=20,
        **kwargs,
    )


def test_invoke(stack: Stack) -> None:
    stack.openai.responder = reply(PARAGRAPH, prompt_tokens=50, completion_tokens=20)
    stack.router("openai", "runpod")
    message = chat_model(stack, "section").invoke([HumanMessage("삼성전자 실적 단락을 써 줘.")])
    assert message.content == PARAGRAPH
    assert message.usage_metadata is not None and message.usage_metadata["input_tokens"] == 50
    assert stack.openai.requests[-1]["messages"][0]["content"] == "삼성전자 실적 단락을 써 줘."


def test_stream(stack: Stack) -> None:
    stack.runpod_openai.responder = reply(PARAGRAPH, chunk_chars=5, prompt_tokens=30, completion_tokens=15)
    stack.router("openai", "runpod")
    llm = chat_model(stack, "rewrite", stream_usage=True)
    chunks = list(llm.stream("다듬어 줘: 삼성전자 영업이익 개선"))
    assert len(chunks) > 3
    assert "".join(str(c.content) for c in chunks) == PARAGRAPH
    usage = [c.usage_metadata for c in chunks if c.usage_metadata]
    assert usage and usage[-1]["output_tokens"] == 15
    assert stack.runpod_openai.requests[-1]["stream"] is True


def test_structured_output_json_schema(stack: Stack) -> None:
    outline = {"title": "삼성전자 2024 실적 리뷰", "sections": ["개요", "실적", "전망"]}
    stack.openai.responder = reply(json.dumps(outline, ensure_ascii=False))
    stack.router("openai")
    result = chat_model(stack, "outline").with_structured_output(Outline).invoke("개요를 잡아 줘")
    assert result == Outline(**outline)
    sent = stack.openai.requests[-1]["response_format"]
    assert sent["type"] == "json_schema" and sent["json_schema"]["name"] == "Outline"


def test_structured_output_function_calling(stack: Stack) -> None:
    outline = {"title": "삼성전자 분기 리뷰", "sections": ["요약", "사업부별 실적"]}
    stack.openai.responder = lambda body: Reply(content=None, tool_calls=[{"name": "Outline", "arguments": outline}])
    stack.router("openai")
    llm = chat_model(stack, "outline").with_structured_output(Outline, method="function_calling")
    assert llm.invoke("개요를 잡아 줘") == Outline(**outline)
    assert stack.openai.requests[-1]["tools"][0]["function"]["name"] == "Outline"


def test_router_errors_surface_as_openai_errors(stack: Stack) -> None:
    stack.router()  # nothing configured
    with pytest.raises(openai.APIStatusError) as caught:
        chat_model(stack, "section").invoke("hello")
    assert caught.value.status_code == 503
    assert "OPENAI_API_KEY" in caught.value.message


def test_a_broken_stream_raises_instead_of_ending_quietly(stack: Stack) -> None:
    stack.openai.responder = reply(PARAGRAPH, chunk_chars=4, break_stream_after=2)
    stack.router("openai", "runpod")
    received: list[str] = []
    with pytest.raises(openai.APIError, match="stream broke"):
        for chunk in chat_model(stack, "section").stream("써 줘"):
            received.append(str(chunk.content))
    assert "".join(received) == PARAGRAPH[:8]


def test_the_openai_sdk_lists_the_routes_as_models(stack: Stack) -> None:
    stack.router("openai")
    client = openai.OpenAI(
        base_url=stack.urls["router"] + "/v1", api_key="unused", default_headers={"X-Internal-Token": INTERNAL_TOKEN}
    )
    assert [m.id for m in client.models.list()] == ["auto", "fast", "quality"]
