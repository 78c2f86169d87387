import pytest

from finscribe_common.sse import SseProtocolError, format_event, parse_sse_lines


async def _lines(text: str):
    for line in text.split("\n"):
        yield line


async def _parse(text: str):
    return [e async for e in parse_sse_lines(_lines(text))]


async def test_round_trip_with_korean_and_newlines():
    frame = format_event("section.delta", {"run_id": "r", "seq": 3, "text": "매출\n증가"}, event_id="3")
    events = await _parse(frame.decode())
    assert len(events) == 1
    assert events[0].event == "section.delta" and events[0].id == "3"
    assert events[0].json() == {"run_id": "r", "seq": 3, "text": "매출\n증가"}


async def test_comments_are_heartbeats_and_multiline_data_joins():
    events = await _parse(": keep-alive\n\nevent: step\ndata: a\ndata: b\n\ndata: plain\n\n")
    assert [(e.event, e.data) for e in events] == [("step", "a\nb"), ("message", "plain")]


async def test_crlf_framing_and_an_unfinished_last_event_is_dropped():
    events = await _parse('event: step\r\ndata: {"ok": true}\r\n\r\nevent: run.completed\r\ndata: {"cut')
    assert [(e.event, e.json()) for e in events] == [("step", {"ok": True})]


async def test_event_size_is_bounded():
    async def lines():
        yield "data: " + "x" * 100
        yield ""

    with pytest.raises(SseProtocolError):
        [e async for e in parse_sse_lines(lines(), max_event_bytes=50)]
