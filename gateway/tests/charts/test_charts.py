"""Chart URLs: anyone holding one can fetch the PNG until it expires; nothing else works."""

import asyncio

import httpx

from finscribe_testkit.gateway.fake_orchestrator import samsung_chart_png


async def test_chart_urls_expire(gateway_factory, alice_token, stream_run) -> None:
    with gateway_factory(chart_url_ttl=1) as gw:
        async with gw.client(alice_token) as client:
            sid = (await client.post("/v1/sessions", json={"doc_id": "doc-chart"})).json()["session_id"]
            run = await stream_run(client, sid, {"kind": "chart", "prompt": "삼성전자 2024 주가"})
            url = run.last("run.completed")["result"]["charts"][0]["url"]
        async with httpx.AsyncClient() as anonymous:  # Google Docs fetches without our auth
            fresh = await anonymous.get(url)
            assert fresh.status_code == 200
            assert fresh.content == samsung_chart_png()
            assert fresh.headers["x-content-type-options"] == "nosniff"
            await asyncio.sleep(1.3)
            expired = await anonymous.get(url)
            assert expired.status_code == 404
            assert expired.json()["error"]["code"] == "not_found"
            for bad in ("short", "A" * 65, "..%2F..%2Fetc%2Fpasswd"):
                assert (await anonymous.get(f"{gw.base_url}/v1/charts/{bad}.png")).status_code == 404
