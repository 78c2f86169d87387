"""The event-stream reader and the fan-out hub."""

import asyncio

from finscribe_gateway.runs.hub import RunChannel, RunEvent
from finscribe_gateway.runs.sse import format_event, parse_sse


async def _lines(text: str):
    # like httpx's aiter_lines: no empty string after the final newline
    for line in text.split("\n")[:-1]:
        yield line


async def test_parse_sse_fields_comments_and_multiline_data() -> None:
    text = (
        ": keep-alive\n"
        "event: step\n"
        'data: {"name": "fetch",\n'
        'data:  "status": "done"}\n'
        "\n"
        "id: 7\r\n"
        'data:{"x":1}\r\n'
        "\r\n"
        "event: run.failed\n"
        'data: {"error": {}}\n'
    )
    events = [e async for e in parse_sse(_lines(text))]
    assert [(e.event, e.data) for e in events] == [
        ("step", '{"name": "fetch",\n "status": "done"}'),
        ("message", '{"x":1}'),
    ]  # the unterminated last event is not dispatched


def test_format_event() -> None:
    assert (
        format_event("step", {"seq": 3, "name": "가"}) == 'id: 3\nevent: step\ndata: {"seq":3,"name":"가"}\n\n'.encode()
    )


async def test_hub_late_listeners_get_everything_and_heartbeats() -> None:
    channel = RunChannel("r1")
    await channel.publish(RunEvent("run.started", {"seq": 1}))
    received: list[object] = []

    async def listen() -> None:
        async for event in channel.listen(idle_timeout=0.05):
            received.append(event.event if event else None)

    task = asyncio.create_task(listen())
    await asyncio.sleep(0.12)
    await channel.publish(RunEvent("run.completed", {"seq": 2}))
    await asyncio.wait_for(task, 1)
    assert received[0] == "run.started"
    assert None in received
    assert received[-1] == "run.completed"
    late = [e.event async for e in channel.listen(idle_timeout=1) if e]
    assert late == ["run.started", "run.completed"]
