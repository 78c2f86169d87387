"""Chart URLs: anyone holding one can fetch the PNG until it expires; nothing else works."""

import datetime as dt

import httpx

from finscribe_testkit.gateway.fake_orchestrator import samsung_chart_png


async def test_chart_urls_expire(gateway_factory, alice_token, stream_run) -> None:
    # the store's clock, not the wall clock: on a starved machine more than the TTL can pass
    # between the run storing the chart and the first fetch, so a real 1 s TTL raced it
    now = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
    with gateway_factory(chart_url_ttl=1) as gw:
        gw.app.state.service.runs.charts.clock = lambda: now
        async with gw.client(alice_token) as client:
            sid = (await client.post("/v1/sessions", json={"doc_id": "doc-chart"})).json()["session_id"]
            run = await stream_run(client, sid, {"kind": "chart", "prompt": "삼성전자 2024 주가"})
            url = run.last("run.completed")["result"]["charts"][0]["url"]
        async with httpx.AsyncClient() as anonymous:  # Google Docs fetches without our auth
            fresh = await anonymous.get(url)
            assert fresh.status_code == 200
            assert fresh.content == samsung_chart_png()
            assert fresh.headers["x-content-type-options"] == "nosniff"
            now += dt.timedelta(milliseconds=999)
            assert (await anonymous.get(url)).status_code == 200  # works until the last moment
            now += dt.timedelta(milliseconds=1)
            expired = await anonymous.get(url)
            assert expired.status_code == 404
            assert expired.json()["error"]["code"] == "not_found"
            for bad in ("short", "A" * 65, "..%2F..%2Fetc%2Fpasswd"):
                assert (await anonymous.get(f"{gw.base_url}/v1/charts/{bad}.png")).status_code == 404
