"""Splitting the relayed SSE stream into whole events, however the bytes arrive."""

import json

from finscribe_llm_router.sse import StreamReader, leading_error


def event(payload: object) -> bytes:
    return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n".encode()


def chunk(content: str) -> dict:
    return {"object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {"content": content}}]}


USAGE = {"object": "chat.completion.chunk", "choices": [], "usage": {"prompt_tokens": 9, "completion_tokens": 4}}
STREAM = event(chunk("매출이 ")) + event(chunk("늘었다")) + event(USAGE) + b"data: [DONE]\n\n"


def test_events_are_forwarded_whole_whatever_the_read_boundaries() -> None:
    for size in (1, 3, 7, 64, len(STREAM)):
        reader = StreamReader()
        out = b"".join(reader.feed(STREAM[i : i + size]) for i in range(0, len(STREAM), size)) + reader.flush()
        assert out == STREAM
        assert reader.done and reader.text == "매출이 늘었다"
        assert reader.usage == {"prompt_tokens": 9, "completion_tokens": 4}


def test_the_usage_chunk_is_hidden_when_the_caller_did_not_ask() -> None:
    reader = StreamReader(drop_usage_chunk=True)
    out = reader.feed(STREAM)
    assert b'"usage"' not in out and out.endswith(b"data: [DONE]\n\n")
    assert reader.usage is not None


def test_crlf_events_comments_and_errors() -> None:
    reader = StreamReader()
    raw = b": keep-alive\r\n\r\n" + event(chunk("a")).replace(b"\n\n", b"\r\n\r\n")
    raw += b'data: {"error": {"message": "model overloaded"}}\n\n'
    assert reader.feed(raw) == raw
    assert reader.text == "a" and reader.upstream_error == {"message": "model overloaded"} and not reader.done


def test_tool_call_arguments_count_as_output() -> None:
    reader = StreamReader()
    delta = {"tool_calls": [{"index": 0, "function": {"name": "Outline", "arguments": '{"title": "x"}'}}]}
    reader.feed(event({"choices": [{"index": 0, "delta": delta}]}))
    assert reader.text == 'Outline{"title": "x"}'


def test_the_usage_chunk_gets_the_cost_when_priced() -> None:
    reader = StreamReader(price=lambda usage: usage["prompt_tokens"] * 0.5)
    out = reader.feed(STREAM)
    events = [e for e in out.split(b"\n\n") if e]
    assert json.loads(events[2][6:])["usage"] == {"prompt_tokens": 9, "completion_tokens": 4, "cost_usd": 4.5}
    assert events[0] + b"\n\n" == event(chunk("매출이 "))  # content chunks stay byte for byte
    assert events[-1] == b"data: [DONE]"


def test_leading_error_only_for_a_stream_that_starts_with_one() -> None:
    assert leading_error(b'data: {"error": {"message": "CUDA out of memory"}}\n\ndata: [DONE]\n\n') == {
        "message": "CUDA out of memory"
    }
    assert leading_error(event(chunk("error"))) is None  # the word in text is not an error
    assert leading_error(b": ping\n\n") is None
