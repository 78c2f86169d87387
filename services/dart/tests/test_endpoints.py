import asyncio
from pathlib import Path

import httpx
import pytest
import responses

from finscribe_dart.config import DartSettings
from finscribe_testkit.dart import (
    SAMSUNG_H1_2024_FILING,
    DartReplayCounter,
    register_dart_replay,
    statement_envelope,
    status_reply,
    test_settings,
)

FIN = "/api/fnlttSinglAcntAll.json"
H1 = {"year": 2024, "report": "h1"}


def error(response: httpx.Response, status: int, code: str | None = None) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    if code is not None:
        assert body["error"]["code"] == code
    assert body["error"]["request_id"] == response.headers["x-request-id"]
    return body["error"]["message"]


async def test_resolve_samsung(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/corps/resolve", params={"q": "삼성전자"})
    assert response.status_code == 200
    body = response.json()
    first = body["data"][0]
    assert (first["corp_code"], first["corp_name"], first["stock_code"], first["listed"]) == (
        "00126380",
        "삼성전자",
        "005930",
        True,
    )
    assert body["source"]["provider"] == "DART"
    assert body["source"]["dataset"] == "corpCode.xml"
    assert "crtfc_key" not in body["source"]["url"]


async def test_resolve_shared_name_lists_all_listed_first(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/corps/resolve", params={"q": "에이텍", "limit": 1})
    data = response.json()["data"]
    exact = [d for d in data if d["match"] == "exact"]
    assert len(exact) == 5
    assert exact[0]["stock_code"] == "045660"
    assert [d["listed"] for d in exact] == [True, False, False, False, False]


async def test_financials_real_values(client: httpx.AsyncClient, replay: DartReplayCounter) -> None:
    response = await client.get("/v1/corps/00126380/financials", params=H1)
    assert response.status_code == 200
    body = response.json()
    data = body["data"]
    assert (data["fs_used"], data["fallback"], data["currency"]) == ("consolidated", False, "KRW")
    assert data["rcept_no"] == "20240814003284"
    assets = next(i for i in data["items"] if i["account_id"] == "ifrs-full_Assets")
    assert assets["account_name"] == "자산총계"
    assert assets["current"] == 485_757_698_000_000
    assert assets["prior"] == 455_905_980_000_000
    assert len(data["items"]) == 204
    assert {i["statement"] for i in data["items"]} == {"BS", "IS", "CIS", "CF", "SCE"}
    source = body["source"]
    assert source["dataset"] == "fnlttSinglAcntAll"
    assert source["url"] == "https://dart.fss.or.kr/dsaf001/main.do?rcpNo=20240814003284"
    assert source["as_of"] == "2024-08-14"
    assert replay.queries == [
        (FIN, {"corp_code": "00126380", "bsns_year": "2024", "reprt_code": "11012", "fs_div": "CFS"})
    ]


async def test_key_metrics(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/corps/00126380/key-metrics", params=H1)
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["total_assets"] == 485_757_698_000_000
    assert data["revenue"] == 145_983_903_000_000
    assert (data["operating_margin"], data["debt_ratio"], data["roe"]) == (11.68, 26.66, 4.47)
    assert data["yoy"]["revenue"] == 17.97
    assert response.json()["source"]["url"].endswith("rcpNo=20240814003284")


async def test_consolidated_falls_back_to_separate(settings: DartSettings, rsps, open_client) -> None:
    def no_consolidated(path: str, query: dict[str, str]):
        if path == FIN and query.get("fs_div") == "CFS":
            return status_reply("013")
        if path == FIN and query.get("fs_div") == "OFS":
            # no separate statement was recorded: the real rows stand in for the OFS answer
            envelope = statement_envelope()
            return 200, {"Content-Type": "application/json"}, httpx.Response(200, json=envelope).content
        return None

    counter = register_dart_replay(rsps, override=no_consolidated)
    async with open_client(settings) as client:
        response = await client.get("/v1/corps/00126380/financials", params=H1)
        metrics = await client.get("/v1/corps/00126380/key-metrics", params=H1)
    data = response.json()["data"]
    assert (data["fs_requested"], data["fs_used"], data["fallback"]) == ("consolidated", "separate", True)
    assert "separate" in data["note"]
    assert [q["fs_div"] for path, q in counter.queries if path == FIN] == ["CFS", "OFS"]
    # no main accounts were recorded for the half year (013), so key metrics use the same statements
    assert metrics.json()["data"]["fs_used"] == "separate"
    assert metrics.json()["data"]["dataset"] == "fnlttSinglAcntAll"
    assert metrics.json()["data"]["note"] == data["note"]  # issue 15, item 7: the same fallback note


async def test_separate_requested_is_not_retried_as_consolidated(client, replay: DartReplayCounter) -> None:
    response = await client.get("/v1/corps/00126380/financials", params={**H1, "fs": "separate"})
    assert "separate" in error(response, 404, "not_found")
    assert [q["fs_div"] for _, q in replay.queries] == ["OFS"]


async def test_no_statements_is_404(client: httpx.AsyncClient, replay: DartReplayCounter) -> None:
    response = await client.get("/v1/corps/00126380/financials", params={"year": 2023, "report": "annual"})
    message = error(response, 404, "not_found")
    assert "013" in message
    # the "no data" answer is cached for a while too
    await client.get("/v1/corps/00126380/financials", params={"year": 2023, "report": "annual"})
    assert replay.by_path[FIN] == 2  # CFS then OFS, once


async def test_filings(client: httpx.AsyncClient, replay: DartReplayCounter) -> None:
    response = await client.get(
        "/v1/corps/00126380/filings", params={"start": "2024-08-01", "end": "2024-08-31", "type": "periodic"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["data"] == [
        {
            "rcept_no": "20240814003284",
            "report_nm": "반기보고서 (2024.06)",
            "rcept_dt": "2024-08-14",
            "flr_nm": "삼성전자",
            "url": "https://dart.fss.or.kr/dsaf001/main.do?rcpNo=20240814003284",
            "corp_cls": "Y",
            "rm": None,
        }
    ]
    assert body["source"]["dataset"] == "list.json"
    assert body["source"]["as_of"] == "2024-08-31"
    assert "crtfc_key" not in body["source"]["url"]
    assert replay.queries[0][1]["pblntf_ty"] == "A"
    assert replay.queries[0][1]["page_count"] == "100"


async def test_filings_none_in_range_is_empty(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/corps/00126380/filings", params={"start": "2023-01-01", "end": "2023-03-31"})
    assert response.status_code == 200
    assert response.json()["data"] == []


async def test_cache_hit(client: httpx.AsyncClient, replay: DartReplayCounter) -> None:
    first = await client.get("/v1/corps/00126380/financials", params=H1)
    second = await client.get("/v1/corps/00126380/financials", params=H1)
    metrics = await client.get("/v1/corps/00126380/key-metrics", params=H1)
    assert first.json() == second.json()
    assert metrics.status_code == 200
    assert replay.by_path[FIN] == 1
    status = (await client.get("/v1/status")).json()
    assert status["cache"]["hits"] == 2
    # key metrics ask for the main accounts first (013 for this half year) and the profile (sector)
    assert status["upstream_calls"] == 3
    assert replay.by_path["/api/fnlttSinglAcnt.json"] == replay.by_path["/api/company.json"] == 1


async def test_single_flight(client: httpx.AsyncClient, replay: DartReplayCounter) -> None:
    responses_ = await asyncio.gather(*(client.get("/v1/corps/00126380/financials", params=H1) for _ in range(50)))
    assert {r.status_code for r in responses_} == {200}
    assert replay.by_path[FIN] == 1


async def test_single_flight_corp_list(client: httpx.AsyncClient, replay: DartReplayCounter) -> None:
    answers = await asyncio.gather(*(client.get("/v1/corps/resolve", params={"q": "삼성전자"}) for _ in range(20)))
    assert {r.status_code for r in answers} == {200}
    assert replay.by_path["/api/corpCode.xml"] == 1


async def test_quota_refusal(tmp_path: Path, rsps, open_client) -> None:
    counter = register_dart_replay(rsps)
    settings = test_settings(data_dir=tmp_path, dart_daily_limit=1, internal_token="test-internal-token")
    async with open_client(settings) as client:
        assert (await client.get("/v1/corps/00126380/financials", params=H1)).status_code == 200
        refused = await client.get("/v1/corps/00126380/financials", params={"year": 2023})
    assert "quota" in error(refused, 429, "quota_exceeded")
    assert int(refused.headers["retry-after"]) >= 1
    assert counter.calls == 1


async def test_dart_rate_limit_020(settings: DartSettings, rsps, open_client) -> None:
    register_dart_replay(rsps, override=lambda path, query: status_reply("020"))
    async with open_client(settings) as client:
        response = await client.get("/v1/corps/00126380/financials", params=H1)
    assert "020" in error(response, 429, "upstream_rate_limited")
    assert response.headers["retry-after"] == "60"


async def test_malformed_body(settings: DartSettings, rsps, open_client) -> None:
    register_dart_replay(rsps, override=lambda path, query: (200, {"Content-Type": "text/html"}, b"<html>oops"))
    async with open_client(settings) as client:
        response = await client.get("/v1/corps/00126380/financials", params=H1)
    assert "not JSON" in error(response, 502, "upstream_error")


async def test_malformed_amount(settings: DartSettings, rsps, open_client) -> None:
    def broken(path: str, query: dict[str, str]):
        envelope = statement_envelope()
        envelope["list"][0]["thstrm_amount"] = "12x4"
        return 200, {"Content-Type": "application/json"}, httpx.Response(200, json=envelope).content

    register_dart_replay(rsps, override=broken)
    async with open_client(settings) as client:
        response = await client.get("/v1/corps/00126380/financials", params=H1)
    assert "amount" in error(response, 502, "upstream_error")


async def test_missing_key_is_503_everywhere(tmp_path: Path, rsps: responses.RequestsMock, open_client) -> None:
    settings = test_settings(data_dir=tmp_path, dart_api_key=None, internal_token="test-internal-token")
    async with open_client(settings) as client:
        for url, params in [
            ("/v1/corps/resolve", {"q": "삼성전자"}),
            ("/v1/corps/00126380/financials", H1),
            ("/v1/corps/00126380/key-metrics", H1),
            ("/v1/corps/00126380/filings", {}),
        ]:
            response = await client.get(url, params=params)
            assert "DART_API_KEY" in error(response, 503, "not_configured")
        status = (await client.get("/v1/status")).json()
        assert status["configured"] is False
        assert (await client.get("/readyz")).status_code == 200
    assert len(rsps.calls) == 0


async def test_unknown_corp_code_once_list_is_loaded(client: httpx.AsyncClient, replay: DartReplayCounter) -> None:
    await client.get("/v1/corps/resolve", params={"q": "삼성전자"})
    response = await client.get("/v1/corps/99999999/financials", params=H1)
    assert "99999999" in error(response, 404, "not_found")
    assert replay.by_path[FIN] == 0


@pytest.mark.parametrize(
    ("url", "params", "status", "needle"),
    [
        ("/v1/corps/1234/financials", H1, 400, "8 digits"),
        ("/v1/corps/abcdefgh/financials", H1, 400, "8 digits"),
        ("/v1/corps/00126380/financials", {"year": 2010}, 400, "year"),
        ("/v1/corps/00126380/financials", {"year": 2999}, 400, "year"),
        ("/v1/corps/00126380/financials", {"year": "twenty"}, 422, "year"),
        ("/v1/corps/00126380/financials", {}, 422, "year"),
        ("/v1/corps/00126380/financials", {"year": 2024, "report": "h2"}, 422, "report"),
        ("/v1/corps/00126380/key-metrics", {"year": 2024, "fs": "both"}, 422, "fs"),
        ("/v1/corps/00126380/filings", {"start": "2024-05-01", "end": "2024-01-01"}, 400, "after"),
        ("/v1/corps/00126380/filings", {"start": "2000-01-01", "end": "2024-01-01"}, 400, "maximum"),
        ("/v1/corps/00126380/filings", {"start": "1990-01-01", "end": "1990-02-01"}, 400, "1999"),
        ("/v1/corps/00126380/filings", {"end": "2999-01-01"}, 400, "outside the range"),
        ("/v1/corps/00126380/filings", {"end": "2026-12-31"}, 400, "future"),
        # issue 15, item 5: was a 500 (OverflowError computing the default start)
        ("/v1/corps/00126380/filings", {"end": "0001-01-04"}, 400, "1999-01-01 to"),
        ("/v1/corps/00126380/filings", {"end": "0"}, 422, "YYYY-MM-DD"),
        ("/v1/corps/00126380/filings", {"start": "2024-13-01"}, 422, "start"),
        ("/v1/corps/00126380/filings", {"type": "gossip"}, 400, "type"),
        ("/v1/corps/00126380/filings", {"limit": 0}, 422, "limit"),
        ("/v1/corps/resolve", {}, 422, "q"),
        ("/v1/corps/resolve", {"q": ""}, 422, "q"),
        ("/v1/corps/resolve", {"q": "   "}, 400, "q"),
        ("/v1/corps/resolve", {"q": "x" * 101}, 422, "q"),
    ],
)
async def test_input_validation(
    client: httpx.AsyncClient, replay: DartReplayCounter, url: str, params: dict, status: int, needle: str
) -> None:
    response = await client.get(url, params=params)
    assert needle in error(response, status)
    assert replay.calls == 0


async def test_internal_token_required(settings: DartSettings, replay, open_client) -> None:
    async with open_client(settings, token=None) as client:
        response = await client.get("/v1/corps/resolve", params={"q": "삼성전자"})
        assert (await client.get("/healthz")).status_code == 200
    error(response, 401, "unauthenticated")
    async with open_client(settings, token="wrong") as client:
        error(await client.get("/v1/corps/resolve", params={"q": "삼성전자"}), 401, "unauthenticated")
    assert replay.calls == 0


async def test_openapi_documents_every_route_with_examples(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    for path in (
        "/v1/corps/resolve",
        "/v1/corps/{corp_code}/filings",
        "/v1/corps/{corp_code}/financials",
        "/v1/corps/{corp_code}/key-metrics",
    ):
        operation = spec["paths"][path]["get"]
        example = operation["responses"]["200"]["content"]["application/json"]["example"]
        assert set(example) == {"data", "source"}
        assert {"400", "429", "502", "503", "504"} <= set(operation["responses"])


async def test_filings_follow_pages_up_to_the_limit(settings: DartSettings, rsps, open_client) -> None:
    # only one real filing was recorded: every page carries it, which is enough to exercise paging
    def three_pages(path: str, query: dict[str, str]):
        if path != "/api/list.json":
            return None
        page = int(query["page_no"])
        body = {
            "status": "000",
            "message": "정상",
            "page_no": page,
            "page_count": 1,
            "total_count": 3,
            "total_page": 3,
            "list": [SAMSUNG_H1_2024_FILING],
        }
        return 200, {"Content-Type": "application/json"}, httpx.Response(200, json=body).content

    counter = register_dart_replay(rsps, override=three_pages)
    async with open_client(settings) as client:
        year = {"start": "2024-01-01", "end": "2024-12-31"}
        two = await client.get("/v1/corps/00126380/filings", params={**year, "limit": 2})
        every = await client.get("/v1/corps/00126380/filings", params=year)
    assert len(two.json()["data"]) == 2
    assert len(every.json()["data"]) == 3
    assert [q["page_no"] for _, q in counter.queries] == ["1", "2", "1", "2", "3"]


async def test_corp_list_preloads_at_startup(tmp_path: Path, rsps, open_client) -> None:
    counter = register_dart_replay(rsps)
    settings = test_settings(data_dir=tmp_path, dart_preload_corp_codes=True, internal_token="test-internal-token")
    async with open_client(settings) as client:
        for _ in range(200):
            if (await client.get("/v1/status")).json()["corp_list"]["loaded"]:
                break
            await asyncio.sleep(0.05)
        status = (await client.get("/v1/status")).json()
        resolved = await client.get("/v1/corps/resolve", params={"q": "삼성전자"})
    assert status["corp_list"]["loaded"] and status["corp_list"]["companies"] == 109_436
    assert resolved.status_code == 200
    assert counter.by_path["/api/corpCode.xml"] == 1


async def test_debug_logging_never_shows_request_urls(tmp_path: Path, open_client) -> None:
    import logging

    settings = test_settings(data_dir=tmp_path, log_level="DEBUG", internal_token="test-internal-token")
    async with open_client(settings):
        assert logging.getLogger("urllib3.connectionpool").getEffectiveLevel() >= logging.INFO
    logging.getLogger().setLevel(logging.WARNING)
