"""Load: 30 concurrent users each running a draft and small requests for a bounded time.

No 5xx (429s are the limits working), every accepted run stored exactly once, and the
p50/p95 latency of small requests printed (and written to test-artifacts/load.json)."""

import json
import statistics
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

pytestmark = [pytest.mark.fullstack, pytest.mark.mysql, pytest.mark.slow]

USERS = 30
SMALL_REQUEST_SECONDS = 20.0
DRAFT = {"company": "삼성전자", "length": "short", "language": "ko", "as_of": "2024-12-30"}


def test_thirty_concurrent_users(stack, make_api, db_rows):
    statuses: Counter[int] = Counter()
    small_latencies: list[float] = []
    accepted_runs: list[str] = []
    run_endings: Counter[str] = Counter()
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(USERS)

    def user_session(index: int) -> None:
        api = make_api(f"load{index}")
        try:
            session_id = api.session(f"doc-load-{index}")
            barrier.wait(timeout=60)
            result: dict = {}

            def draft() -> None:
                try:
                    outcome = api.run(session_id, "draft", "삼성전자 보고서", DRAFT)
                    result["status"] = outcome.status_code
                    if outcome.status_code == 200:
                        result["run_id"], result["end"] = outcome.run_id, outcome.types[-1]
                except Exception as exc:
                    result["error"] = repr(exc)

            runner = threading.Thread(target=draft)
            runner.start()
            deadline = time.monotonic() + SMALL_REQUEST_SECONDS
            while time.monotonic() < deadline:
                for path in ("/v1/me", "/v1/sessions", f"/v1/sessions/{session_id}/runs"):
                    started = time.perf_counter()
                    response = api.request("GET", path)
                    elapsed = time.perf_counter() - started
                    with lock:
                        statuses[response.status_code] += 1
                        if response.status_code == 200:
                            small_latencies.append(elapsed)
                time.sleep(0.2)
            runner.join(timeout=240)
            with lock:
                if "error" in result or runner.is_alive():
                    errors.append(f"user {index}: {result.get('error', 'draft still streaming')}")
                statuses[result.get("status", 0)] += 1
                if result.get("status") == 200:
                    accepted_runs.append(result["run_id"])
                    run_endings[result["end"]] += 1
        except Exception as exc:
            with lock:
                errors.append(f"user {index}: {exc!r}")

    threads = [threading.Thread(target=user_session, args=(i,)) for i in range(USERS)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=400)
    wall = time.monotonic() - started

    assert not errors, errors[:5]
    server_errors = {code: n for code, n in statuses.items() if code >= 500 or code == 0}
    assert not server_errors, statuses
    assert set(statuses) <= {200, 429}, statuses
    assert accepted_runs and len(set(accepted_runs)) == len(accepted_runs)
    assert set(run_endings) <= {"run.completed", "run.failed"}, run_endings

    rows = [r for r in db_rows("SELECT id, status FROM runs") if r["id"] in set(accepted_runs)]
    assert sorted(r["id"] for r in rows) == sorted(accepted_runs)  # stored exactly once each
    assert all(r["status"] in ("completed", "failed") for r in rows), Counter(r["status"] for r in rows)

    quantiles = statistics.quantiles(small_latencies, n=100)
    figures = {
        "users": USERS,
        "wall_s": round(wall, 1),
        "small_requests": len(small_latencies),
        "small_p50_ms": round(quantiles[49] * 1000, 1),
        "small_p95_ms": round(quantiles[94] * 1000, 1),
        "runs_accepted": len(accepted_runs),
        "runs_completed": run_endings["run.completed"],
        "status_counts": dict(statuses),
    }
    print("\nload:", json.dumps(figures))
    artifacts = Path("test-artifacts")
    artifacts.mkdir(exist_ok=True)
    (artifacts / "load.json").write_text(json.dumps(figures, indent=2))
