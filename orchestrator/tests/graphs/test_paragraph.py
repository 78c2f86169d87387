"""paragraph (corrective RAG) end to end: the real rag service with the real Korean paper ingested
(module-scoped: embedding 28 pages once), the real data services, the scripted LLM."""

import io
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio

from finscribe_testkit.common.fake_openai import Reply
from finscribe_testkit.common.fixtures import fixture_path
from finscribe_testkit.orchestrator.llm import ScriptedLLM, data_lines
from finscribe_testkit.orchestrator.runner import AS_OF, Runner, completed
from finscribe_testkit.orchestrator.stack import TOKEN, rag_service, refused

pytestmark = pytest.mark.asyncio(loop_scope="module")
COLLECTION = "u0123456789abcdef-s00000001"
PAPER = "ko_finance_llm_paper.pdf"


def first_pages(pages: int) -> bytes:
    """The real paper cut to its first pages (pypdf copies them unchanged), so embedding stays quick."""
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(fixture_path(PAPER))
    writer = PdfWriter()
    for page in reader.pages[:pages]:
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def rag(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[httpx.AsyncBaseTransport]:
    async with rag_service(TOKEN, tmp_path_factory.mktemp("rag")) as app:
        transport = httpx.ASGITransport(app)
        async with httpx.AsyncClient(transport=transport, base_url="http://rag") as client:
            response = await client.post(
                f"/v1/collections/{COLLECTION}/documents",
                files={"file": (PAPER, first_pages(4), "application/pdf")},
                data={"doc_id": "paper", "name": PAPER},
                headers={"X-Internal-Token": TOKEN},
                timeout=300,
            )
        assert response.status_code in (200, 201), response.text
        yield transport


def paragraph_body(runner: Runner, prompt: str, **options: Any) -> dict[str, Any]:
    body = runner.body("paragraph", prompt, options={"use_files": True, **options})
    body["rag_collection"] = COLLECTION
    body["files"] = [{"file_id": "paper", "name": PAPER, "kind": "pdf", "url": "http://gateway.test/x"}]
    return body


async def test_paragraph_cites_file_and_page(runner_for, rag, llm: ScriptedLLM) -> None:
    runner = runner_for({"rag": rag})
    events = await runner.post(paragraph_body(runner, "금융 분야 언어모델 파인튜닝 방법을 한 문단으로 정리해줘"))
    result = completed(events)
    steps = [d["name"] for t, d in events if t == "step" and d["status"] == "started"]
    assert steps[:4] == ["retrieve", "grade", "write", "verify"]
    uploads = [c for c in result["citations"] if c["provider"] == "upload"]
    assert uploads and all(c["title"].startswith(PAPER) and c["title"].endswith("쪽") for c in uploads)
    # the citation card shows the page and the passage cited (the text rag found on that page)
    for c in uploads:
        assert c["title"] == f"{PAPER} {c['page']}쪽"
        assert 20 <= len(c["passage"]) <= 300 and "\n" not in c["passage"]
    cited = {n for b in result["blocks"] for n in b.get("citations", [])}
    assert cited and cited <= {c["n"] for c in uploads}
    assert any(t == "section.delta" and d["section_id"] == "paragraph" for t, d in events)
    assert llm.calls["grade"] == 1 and llm.calls["verify"] == 1


async def test_insufficient_passages_trigger_one_requery_then_the_data_services(runner_for, rag, llm) -> None:
    queries: list[str] = []
    original = llm.respond

    def respond(body: dict[str, Any]):  # a grader that never finds the passages sufficient
        if ((body.get("response_format") or {}).get("json_schema") or {}).get("name") == "Grade":
            llm._count("grade")
            user = "\n".join(str(m.get("content")) for m in body["messages"][1:])
            queries.append(user)
            relevant = sorted({n for n, _ in data_lines(user)})[:1]
            verdict = {"relevant_sources": relevant, "sufficient": False, "better_query": "LoRA 파인튜닝"}
            return Reply(content=json.dumps(verdict))
        return original(body)

    llm.fake.responder = respond
    runner = runner_for({"rag": rag}, paragraph_max_retrievals=2)
    events = await runner.post(paragraph_body(runner, "삼성전자 실적과 금융 LLM", company="삼성전자", as_of=AS_OF))
    result = completed(events)
    retrievals = [d for t, d in events if t == "step" and d["name"] == "retrieve" and d["status"] == "started"]
    assert len(retrievals) == 2 and retrievals[1]["detail"] == "LoRA 파인튜닝"
    assert any(t == "step" and d["name"] == "data" for t, d in events)
    assert any(c["provider"] == "DART" for c in result["citations"])


async def test_paragraph_without_llm_fails_clearly(runner_for, rag, llm: ScriptedLLM) -> None:
    llm.status = 503
    runner = runner_for({"rag": rag})
    events = await runner.post(paragraph_body(runner, "요약"))
    assert events[-1][0] == "run.failed" and events[-1][1]["error"]["code"] == "llm_unavailable"


async def test_rag_down_falls_back_to_the_data_services_with_a_warning(runner_for) -> None:
    runner = runner_for({"rag": refused("rag")})
    events = await runner.post(paragraph_body(runner, "삼성전자 상반기 실적", company="삼성전자", as_of=AS_OF))
    result = completed(events)
    assert any(d["code"] == "source_unavailable" and d["service"] == "rag" for t, d in events if t == "warning")
    assert {c["provider"] for c in result["citations"]} >= {"DART"}


async def test_draft_uses_the_sessions_pdfs_through_rag(runner_for, rag, llm: ScriptedLLM) -> None:
    llm.status = 503  # the data-only draft shows the passages as quotes, so they are easy to find
    runner = runner_for({"rag": rag})
    body = runner.body(
        "draft", "삼성전자와 금융 LLM", options={"company": "삼성전자", "length": "short", "as_of": AS_OF}
    )
    body["rag_collection"] = COLLECTION
    body["files"] = [{"file_id": "paper", "name": PAPER, "kind": "pdf", "url": "http://gateway.test/x"}]
    result = completed(await runner.post(body))
    uploads = [c for c in result["citations"] if c["provider"] == "upload"]
    assert uploads and all(c["title"].startswith(PAPER) for c in uploads)
    assert any(b["type"] == "heading" and b["text"] == "참고 문서" for b in result["blocks"])
    quotes = [b for b in result["blocks"] if b["type"] == "quote"]
    assert quotes and set(quotes[0]["citations"]) <= {c["n"] for c in uploads}


# Issue 15, item 1: rag still holds the paper's vectors (its file was deleted a moment ago,
# or its delete never reached rag); the session no longer lists it, so no run may cite it.
@pytest.mark.parametrize("kind", ["paragraph", "draft", "ask"])
@pytest.mark.parametrize("listed", [[], [{"file_id": "other", "name": "other.pdf", "kind": "pdf"}]])
async def test_a_file_the_session_no_longer_lists_is_never_cited(runner_for, rag, llm, kind, listed) -> None:
    runner = runner_for({"rag": rag})
    options = {"company": "삼성전자", "as_of": AS_OF} if kind != "paragraph" else {"use_files": True}
    if kind == "draft":
        options["length"] = "short"
    body = runner.body(kind, "금융 분야 언어모델 파인튜닝 방법", options=options)
    body["rag_collection"] = COLLECTION
    body["files"] = [{**f, "url": "http://gateway.test/x"} for f in listed]
    events = await runner.post(body)
    done = [d for t, d in events if t in ("run.completed", "run.failed")]
    assert done, events
    result = done[-1].get("result") or {}
    assert not [c for c in result.get("citations", []) if c["provider"] == "upload"]
    assert PAPER not in json.dumps(events, ensure_ascii=False)
