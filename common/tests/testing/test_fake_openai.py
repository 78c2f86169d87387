"""The OpenAI-protocol fake answers as the official client expects."""

import httpx
from openai import AsyncOpenAI

from finscribe_testkit.common.fake_openai import FakeOpenAI, Reply


def client_for(fake: FakeOpenAI) -> AsyncOpenAI:
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=fake.app), base_url="http://fake")
    return AsyncOpenAI(base_url="http://fake/v1", api_key="k", http_client=http, max_retries=0)


async def test_plain_completion_with_usage():
    fake = FakeOpenAI(lambda body: Reply(content="매출은 증가했습니다.", prompt_tokens=11, completion_tokens=5))
    answer = await client_for(fake).chat.completions.create(model="m", messages=[{"role": "user", "content": "q"}])
    assert answer.choices[0].message.content == "매출은 증가했습니다."
    assert answer.usage.prompt_tokens == 11 and answer.usage.completion_tokens == 5
    assert fake.requests[0]["messages"][0]["content"] == "q"


async def test_streaming_reassembles_and_reports_usage():
    fake = FakeOpenAI(lambda body: Reply(content="가나다라마바사아자차카타파하", chunk_chars=3))
    stream = await client_for(fake).chat.completions.create(
        model="m", messages=[{"role": "user", "content": "q"}], stream=True, stream_options={"include_usage": True}
    )
    text, usage = "", None
    async for chunk in stream:
        if chunk.choices:
            text += chunk.choices[0].delta.content or ""
        if chunk.usage:
            usage = chunk.usage
    assert text == "가나다라마바사아자차카타파하"
    assert usage is not None and usage.completion_tokens > 0


async def test_tool_calls_and_errors():
    fake = FakeOpenAI(lambda body: Reply(tool_calls=[{"name": "get_price", "arguments": {"ticker": "005930"}}]))
    answer = await client_for(fake).chat.completions.create(model="m", messages=[{"role": "user", "content": "q"}])
    call = answer.choices[0].message.tool_calls[0]
    assert call.function.name == "get_price" and '"005930"' in call.function.arguments

    failing = FakeOpenAI(lambda body: Reply(status=429, headers={"Retry-After": "1"}))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=failing.app), base_url="http://f") as raw:
        response = await raw.post("/v1/chat/completions", json={"model": "m", "messages": []})
    assert response.status_code == 429 and response.headers["retry-after"] == "1"
    assert response.json()["error"]["type"] == "rate_limit_exceeded"
