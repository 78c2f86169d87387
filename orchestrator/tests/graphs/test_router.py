"""The draft through the REAL llm-router (in-process), whose OpenAI provider is the scripted
fake on a loopback port: task headers, user accounting and provider usage flow end to end;
a router with no provider configured gives the data-only draft."""

import httpx

from finscribe_llm_router.main import create_app as router_app
from finscribe_testkit.common.server import serve_in_thread
from finscribe_testkit.llm_router import test_settings as router_settings
from finscribe_testkit.orchestrator.llm import ScriptedLLM
from finscribe_testkit.orchestrator.runner import AS_OF, Runner, completed
from finscribe_testkit.orchestrator.stack import TOKEN


async def test_draft_through_the_real_router(services, llm: ScriptedLLM) -> None:
    with serve_in_thread(llm.app) as provider:
        router = router_app(
            router_settings(FINSCRIBE_INTERNAL_TOKEN=TOKEN, OPENAI_API_KEY="sk-test", OPENAI_BASE_URL=f"{provider}/v1")
        )
        transport = httpx.ASGITransport(router)
        runner = Runner({**services.transports, "llm": transport})
        events = await runner.run("draft", "삼성전자", company="삼성전자", length="short", as_of=AS_OF)
        result = completed(events)
        async with httpx.AsyncClient(transport=transport, base_url="http://router") as client:
            usage = (await client.get("/v1/usage", headers={"X-Internal-Token": TOKEN})).json()
    assert not [w for w in result["warnings"] if w["code"] == "llm_unavailable"]
    assert result["usage"]["by_provider"].keys() == {"openai"}
    assert result["usage"]["llm_calls"] == 1 + len(llm.sections)
    text = str(usage)
    assert "outline" in text and "section" in text and "user-1" in text


async def test_router_without_providers_gives_the_data_only_draft(services) -> None:
    router = router_app(router_settings(FINSCRIBE_INTERNAL_TOKEN=TOKEN))
    runner = Runner({**services.transports, "llm": httpx.ASGITransport(router)})
    events = await runner.run("draft", "삼성전자", company="삼성전자", length="short", as_of=AS_OF)
    result = completed(events)
    warning = next(w for w in result["warnings"] if w["code"] == "llm_unavailable")
    assert "not_configured" in warning["message"]
    assert "53,200원" in result["markdown"]
