"""Run the orchestrator app in-process and read its event stream, for tests and benchmarks."""

import json
import tempfile
from pathlib import Path
from typing import Any

import httpx

from finscribe_common.settings import ServiceUrls
from finscribe_orchestrator.config import OrchestratorSettings
from finscribe_orchestrator.main import create_app
from finscribe_testkit.orchestrator.stack import TOKEN

AS_OF = "2024-12-30"  # inside the recorded data: 005930's 2024 closes, Samsung's 2024 half-year report
Events = list[tuple[str, dict[str, Any]]]


def parse_sse(text: str) -> Events:
    events = []
    for frame in text.split("\n\n"):
        lines = [line for line in frame.splitlines() if line and not line.startswith(":")]
        if not lines:
            continue
        event_type = next(line[7:] for line in lines if line.startswith("event: "))
        data = json.loads("\n".join(line[6:] for line in lines if line.startswith("data: ")))
        events.append((event_type, data))
    return events


class Runner:
    def __init__(self, transports: dict[str, httpx.AsyncBaseTransport], **settings: Any) -> None:
        # each runner checkpoints into its own SQLite file unless told otherwise (a second
        # runner given the same checkpoint_url plays a restarted orchestrator)
        checkpoints = Path(tempfile.mkdtemp(prefix="finscribe-checkpoints-")) / "checkpoints.sqlite"
        values = {
            "internal_token": TOKEN,
            "data_timeout_s": 10.0,
            "checkpoint_url": f"sqlite:///{checkpoints}",
            **settings,
        }
        self.settings = OrchestratorSettings(_env_file=None, **values)
        urls = ServiceUrls(gateway="http://gateway.test", llm_router="http://router.test")
        self.app = create_app(self.settings, urls=urls, transports=transports)

    def body(self, kind: str, prompt: str = "", **extra: Any) -> dict[str, Any]:
        options = extra.pop("options", {})
        return {
            "run_id": "run-1",
            "kind": kind,
            "prompt": prompt,
            "options": options,
            "user": {"sub": "user-1"},
            "session_id": "s1",
            **extra,
        }

    async def run(self, kind: str, prompt: str = "", **options: Any) -> Events:
        return await self.post(self.body(kind, prompt, options=options))

    async def post(self, body: dict[str, Any]) -> Events:
        transport = httpx.ASGITransport(self.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://orchestrator") as client:
            response = await client.post("/v1/runs", json=body, headers={"X-Internal-Token": TOKEN}, timeout=120)
        if response.status_code != 200 or not response.headers["content-type"].startswith("text/event-stream"):
            raise AssertionError(f"run not streamed: {response.status_code} {response.text[:500]}")
        return parse_sse(response.text)


def completed(events: Events) -> dict[str, Any]:
    last_type, last = events[-1]
    if last_type != "run.completed":
        raise AssertionError(f"run did not complete: {events[-3:]}")
    return last["result"]
