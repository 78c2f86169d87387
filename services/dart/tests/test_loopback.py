"""The service against the replay served over real HTTP (as the full-stack tests run it)."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from finscribe_common import upstream_override
from finscribe_testkit.common.server import free_port, serve_in_thread
from finscribe_testkit.dart import HOST, fake_upstream_app, test_settings

H1 = {"year": 2024, "report": "h1"}


@pytest.fixture
def overrides(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    yield
    monkeypatch.delenv(upstream_override.ENV_VAR, raising=False)
    upstream_override.install({})


def settings_for(tmp_path: Path, **extra):
    return test_settings(data_dir=tmp_path, internal_token="test-internal-token", **extra)


async def test_replay_over_http(tmp_path: Path, monkeypatch, overrides, open_client) -> None:
    fake = fake_upstream_app()
    with serve_in_thread(fake) as base:
        monkeypatch.setenv(upstream_override.ENV_VAR, f"{HOST}={base}")
        async with open_client(settings_for(tmp_path)) as client:
            resolved = await client.get("/v1/corps/resolve", params={"q": "005930"})
            metrics = await client.get("/v1/corps/00126380/key-metrics", params=H1)
    assert resolved.json()["data"][0]["corp_code"] == "00126380"
    assert metrics.status_code == 200
    assert metrics.json()["data"]["total_assets"] == 485_757_698_000_000
    assert fake.state.counter.by_path == {
        "/api/corpCode.xml": 1,
        "/api/fnlttSinglAcnt.json": 1,  # no main accounts recorded for the half year: 013
        "/api/fnlttSinglAcntAll.json": 1,
        "/api/company.json": 1,
    }


async def test_upstream_timeout_is_504(tmp_path: Path, overrides, open_client) -> None:
    with serve_in_thread(fake_upstream_app(delay=1.5)) as base:
        upstream_override.install({HOST: base})
        async with open_client(settings_for(tmp_path, dart_timeout_s=0.3)) as client:
            response = await client.get("/v1/corps/00126380/financials", params=H1)
    assert response.status_code == 504
    assert response.json()["error"]["code"] == "upstream_timeout"


async def test_connection_refused_is_502(tmp_path: Path, overrides, open_client) -> None:
    upstream_override.install({HOST: f"http://127.0.0.1:{free_port()}"})
    async with open_client(settings_for(tmp_path)) as client:
        response = await client.get("/v1/corps/00126380/financials", params=H1)
        resolve = await client.get("/v1/corps/resolve", params={"q": "삼성전자"})
    assert response.status_code == 502
    assert response.json()["error"]["code"] == "upstream_unreachable"
    assert "crtfc_key" not in response.text
    assert resolve.status_code == 502
