"""Event numbering and SSE framing."""

import json

from finscribe_orchestrator.events import DONE, EventSink, sse_frame


def test_seq_and_monotonic_progress() -> None:
    sink = EventSink("r1")
    sink.emit("run.started", kind="draft")
    sink.step("a", "started", 0.5)
    sink.step("b", "done", 0.2)  # a slower parallel branch reporting late
    sink.close()
    items = []
    while True:
        item = sink.queue.get_nowait()
        if item is DONE:
            break
        items.append(item)
    assert [d["seq"] for _, d in items] == [1, 2, 3]
    assert [d.get("progress") for _, d in items[1:]] == [0.5, 0.5]


def test_sse_frame() -> None:
    frame = sse_frame("warning", {"run_id": "r", "seq": 1, "message": "한국어"})
    assert frame.startswith(b"event: warning\ndata: ") and frame.endswith(b"\n\n")
    assert json.loads(frame.decode().split("data: ", 1)[1])["message"] == "한국어"
