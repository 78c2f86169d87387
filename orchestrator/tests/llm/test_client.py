"""The LLM client against the OpenAI-protocol fake: headers per task, usage, error classes, structured retries."""

import httpx
import pytest
from langchain_core.messages import HumanMessage
from pydantic import BaseModel

from finscribe_orchestrator.llm.client import LLM, LLMError, LLMUnavailable, ToolsUnsupported
from finscribe_orchestrator.usage import UsageMeter
from finscribe_testkit.common.fake_openai import FakeOpenAI, Reply


class Answer(BaseModel):
    value: int


def make(fake: FakeOpenAI) -> LLM:
    return LLM(
        base_url="http://router.test",
        token="tok",
        user="user-9",
        request_id="req-1",
        route="auto",
        timeout=5,
        usage=UsageMeter(),
        transport=httpx.ASGITransport(fake.app),
    )


async def test_headers_and_usage() -> None:
    fake = FakeOpenAI(lambda body: Reply(content="답", headers={"X-LLM-Provider": "openai", "X-LLM-Cost-USD": "0.002"}))
    llm = make(fake)
    assert await llm.text("rewrite", [HumanMessage(content="q")]) == "답"
    headers = fake.request_headers[0]
    assert (headers["x-task"], headers["x-user"], headers["x-internal-token"], headers["x-request-id"]) == (
        "rewrite",
        "user-9",
        "tok",
        "req-1",
    )
    assert fake.requests[0]["model"] == "auto"
    usage = llm.usage.as_dict()
    assert usage["llm_calls"] == 1 and usage["cost_usd"] == pytest.approx(0.002)
    assert usage["by_provider"]["openai"]["llm_calls"] == 1
    with pytest.raises(ValueError):
        llm.model("poetry")
    await llm.aclose()


async def test_streaming_calls_back_per_chunk() -> None:
    fake = FakeOpenAI(lambda body: Reply(content="가나다라마바사", chunk_chars=2))
    llm = make(fake)
    pieces: list[str] = []
    text = await llm.stream("section", [HumanMessage(content="q")], pieces.append)
    assert text == "가나다라마바사" and pieces == ["가나", "다라", "마바", "사"]
    assert fake.requests[0]["stream"] is True and llm.usage.completion_tokens > 0
    await llm.aclose()


@pytest.mark.parametrize(
    ("status", "error"), [(503, LLMUnavailable), (429, LLMUnavailable), (502, LLMUnavailable), (400, LLMError)]
)
async def test_error_classes(status: int, error: type[Exception]) -> None:
    llm = make(FakeOpenAI(lambda body: Reply(status=status)))
    with pytest.raises(error):
        await llm.text("answer", [HumanMessage(content="q")])
    await llm.aclose()


async def test_structured_output_repairs_once_with_the_findings_then_gives_up() -> None:
    answers = iter(['{"value": "not a number"}', '{"value": 7}'])
    fake = FakeOpenAI(
        lambda body: Reply(content=next(answers), headers={"X-LLM-Provider": "local", "X-LLM-Cost-USD": "0.001"})
    )
    llm = make(fake)
    assert await llm.structured("grade", [HumanMessage(content="q")], Answer) == Answer(value=7)
    # asked for the pydantic model's schema in OpenAI's json_schema shape (the router adapts it per server)
    assert fake.requests[0]["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "Answer", "schema": Answer.model_json_schema()},
    }
    repair = fake.requests[1]["messages"]
    assert repair[-2] == {"role": "assistant", "content": '{"value": "not a number"}'}
    assert "value: Input should be a valid integer" in repair[-1]["content"]
    assert '"title":"Answer"' in repair[-1]["content"]
    # both calls counted, with the router's cost headers
    assert llm.usage.llm_calls == 2 and llm.usage.cost_usd == pytest.approx(0.002)

    bad = make(FakeOpenAI(lambda body: Reply(content="no json")))
    assert await bad.structured("grade", [HumanMessage(content="q")], Answer) is None
    assert bad.last_structured_problems["grade"] == ["답에 JSON 객체가 없습니다"]
    await llm.aclose()
    await bad.aclose()


async def test_a_weak_models_json_is_read_from_prose_and_fences() -> None:
    cases = [
        ('좋습니다. ```json\n{"value": 3}\n```', Answer(value=3)),
        ('Here: {"value": 3} done', Answer(value=3)),
        ('{"value": 3', None),  # cut off: no object, and the repair answers the same
        ('{"other": {"value": 1}}', None),  # the first object is the answer, and it is not an Answer
    ]
    for answer, expected in cases:
        llm = make(FakeOpenAI(lambda body, answer=answer: Reply(content=answer)))
        assert await llm.structured("grade", [HumanMessage(content="q")], Answer) == expected
        await llm.aclose()


async def test_tools_unsupported_is_its_own_error() -> None:
    # the router's envelope when no target that takes tools answered (llm-router README)
    envelope = {"error": {"code": "tools_unsupported", "message": "local:m does not take tools", "request_id": "r"}}
    transport = httpx.MockTransport(lambda request: httpx.Response(400, json=envelope))
    llm = LLM(
        base_url="http://router.test", token="t", user="u", request_id="r", route="auto", timeout=2,
        usage=UsageMeter(), transport=transport,
    )  # fmt: skip
    with pytest.raises(ToolsUnsupported):
        await llm.with_tools("answer", [HumanMessage(content="q")], [])
    await llm.aclose()


async def test_unreachable_router_is_unavailable() -> None:
    llm = LLM(
        base_url="http://127.0.0.1:9", token="t", user="u", request_id="r", route="auto", timeout=2, usage=UsageMeter()
    )
    with pytest.raises(LLMUnavailable):
        await llm.text("answer", [HumanMessage(content="q")])
    await llm.aclose()
