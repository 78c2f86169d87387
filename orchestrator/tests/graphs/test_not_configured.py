"""`make run` with no credentials: krx and dart answer 503 not_configured, and the draft's
warnings say which variable to set instead of a bare "회사 검색 실패"."""

import httpx

from finscribe_testkit.orchestrator.runner import completed

MESSAGES = {
    "krx": "KRX data needs a login since 2025: set KRX_ID and KRX_PW",
    "dart": "Open DART is not configured: set DART_API_KEY",
}


def not_configured(service: str) -> httpx.MockTransport:
    def answer(request: httpx.Request) -> httpx.Response:
        error = {"code": "not_configured", "message": MESSAGES[service], "request_id": "r"}
        return httpx.Response(503, json={"error": error})

    return httpx.MockTransport(answer)


async def test_draft_without_credentials_says_what_to_set(runner_for) -> None:
    runner = runner_for({"krx": not_configured("krx"), "dart": not_configured("dart")})
    result = completed(await runner.run("draft", "", company="삼성전자", length="short"))
    messages = " ".join(w["message"] for w in result["warnings"] if w["code"] == "source_unavailable")
    assert "set DART_API_KEY" in messages and "set KRX_ID and KRX_PW" in messages


async def test_the_company_search_reason_follows_the_run_language(runner_for) -> None:
    # "회사 검색 실패" was written into English runs: the reason is a messages.py sentence
    runner = runner_for({"krx": not_configured("krx"), "dart": not_configured("dart")})
    for language, says, other in (
        ("en", "company search failed: ", "회사 검색 실패"),
        ("ko", "회사 검색 실패: ", "company search failed"),
    ):
        result = completed(await runner.run("draft", "", company="삼성전자", length="short", language=language))
        reasons = [w["params"]["reason"] for w in result["warnings"] if w["code"] == "source_unavailable"]
        assert len(reasons) == 2 and all(r.startswith(says) for r in reasons), reasons
        assert not any(other in r for r in reasons), reasons
