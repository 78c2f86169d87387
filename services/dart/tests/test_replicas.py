"""Two dart apps (two replicas) sharing one real Redis: one upstream call for identical
concurrent requests over both, one daily quota for both. Open DART is the recorded replay."""

import asyncio
import time
from pathlib import Path

import pytest
import responses

from finscribe_common.shared_state import SharedState
from finscribe_testkit import dart as dart_testing
from finscribe_testkit.dart import register_dart_replay, test_settings

FIN = "/api/fnlttSinglAcntAll.json"
H1 = {"year": 2024, "report": "h1", "fs": "consolidated"}


def _slow(path: str, query: dict[str, str]) -> None:
    time.sleep(0.2)  # DART takes its time: the other replica's requests arrive meanwhile
    return None


@pytest.fixture
def shared_settings(tmp_path: Path, shared_state: SharedState):
    def make(name: str, **overrides):
        return test_settings(
            data_dir=tmp_path / name,
            internal_token="test-internal-token",
            redis_url=shared_state.url,
            redis_prefix=shared_state.prefix,
            **overrides,
        )

    return make


async def test_fifty_requests_over_two_replicas_make_one_upstream_call(shared_settings, open_client) -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        replay = register_dart_replay(rsps, override=_slow)
        async with open_client(shared_settings("a")) as a, open_client(shared_settings("b")) as b:
            answers = await asyncio.gather(
                *((a, b)[i % 2].get("/v1/corps/00126380/financials", params=H1) for i in range(50))
            )
            status_a = (await a.get("/v1/status")).json()
            status_b = (await b.get("/v1/status")).json()
    assert {r.status_code for r in answers} == {200}
    assert len({r.content for r in answers}) == 1  # the replica that read Redis answers byte for byte the same
    assert replay.by_path[FIN] == 1
    assert status_a["cache"]["shared"] and status_b["cache"]["shared"]
    assert status_a["cache"]["remote_waits"] + status_b["cache"]["remote_waits"] == 1
    assert status_a["quota"]["used"] == status_b["quota"]["used"] == 1


async def test_the_daily_quota_holds_across_replicas(shared_settings, open_client) -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        replay = register_dart_replay(rsps)
        async with (
            open_client(shared_settings("a", dart_daily_limit=3)) as a,
            open_client(shared_settings("b", dart_daily_limit=3)) as b,
        ):
            # different years: no cache can answer, each is a real call
            answers = [
                await (a, b)[i % 2].get("/v1/corps/00126380/financials", params={**H1, "year": 2016 + i})
                for i in range(6)
            ]
    assert replay.calls <= 3
    refused = [r for r in answers if r.status_code == 429]
    assert refused and all(r.json()["error"]["code"] == "quota_exceeded" for r in refused)
    assert all("Retry-After" in r.headers for r in refused)


async def test_a_status_020_on_one_replica_stops_the_other(shared_settings, open_client) -> None:
    def refuse(path: str, query: dict[str, str]):
        # Open DART's answer when a key is over its limit (status 020, message from the replay's table)
        return dart_testing.status_reply("020")

    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        replay = register_dart_replay(rsps, override=refuse)
        async with open_client(shared_settings("a")) as a, open_client(shared_settings("b")) as b:
            first = await a.get("/v1/corps/00126380/financials", params=H1)
            second = await b.get("/v1/corps/00126380/financials", params={**H1, "year": 2023})
    assert first.status_code == second.status_code == 429
    assert first.json()["error"]["code"] == second.json()["error"]["code"] == "upstream_rate_limited"
    assert "resume in" in second.json()["error"]["message"]
    assert 55 <= int(second.headers["Retry-After"]) <= 60
    assert replay.calls == 1  # the second replica never called DART
