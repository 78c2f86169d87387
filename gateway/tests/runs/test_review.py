"""Outline review through the gateway, against the real orchestrator (in a thread on a
loopback port) with the real krx/dart/yahoo apps on the recorded upstreams
(finscribe_testkit.orchestrator.stack) and the scripted LLM over the OpenAI protocol: the
draft waits (stored, listed, re-attachable), the edited outline is resumed, the events
continue, the stored result holds exactly the edited sections; bad answers are refused
and keep the run waiting; a review not answered in time expires."""

import asyncio
import json
from typing import Any

import httpx

from finscribe_testkit.orchestrator.runner import AS_OF

from ..conftest import _read_sse

DRAFT = {
    "kind": "draft",
    "prompt": "삼성전자 보고서",
    "options": {"company": "삼성전자", "length": "short", "as_of": AS_OF, "review_outline": True},
}


async def _post_sse(client: httpx.AsyncClient, path: str, body: dict[str, Any]) -> tuple[int, list, dict]:
    async with client.stream("POST", path, json=body, headers={"Accept": "text/event-stream"}) as response:
        if response.status_code != 200:
            await response.aread()
            return response.status_code, [], response.json()
        events, _ = await _read_sse(response)
    return 200, events, {}


async def test_a_waiting_draft_is_stored_listed_and_resumed_with_the_edited_outline(
    gateway_factory, real_orchestrator, alice_token, bob_token, llm
) -> None:
    with gateway_factory(orchestrator_url=real_orchestrator) as gateway:
        async with gateway.client(alice_token) as alice, gateway.client(bob_token) as bob:
            sid = (await alice.post("/v1/sessions", json={"doc_id": "doc-review"})).json()["session_id"]
            status, events, _ = await _post_sse(alice, f"/v1/sessions/{sid}/runs", DRAFT)
            assert status == 200
            types = [t for t, _ in events]
            assert types[-2:] == ["outline.review", "run.waiting"], types
            run_id = events[0][1]["run_id"]
            review, waiting = events[-2][1], events[-1][1]
            assert [s["title"] for s in review["sections"]] == ["개요", "주가 동향", "실적 및 재무"]
            assert waiting["reason"] == "outline_review" and waiting["expires_at"]
            last_seq = waiting["seq"]

            # stored as waiting, with its outline; listed in history as waiting
            run = (await alice.get(f"/v1/runs/{run_id}")).json()
            assert run["status"] == "waiting" and run["review"]["sections"] == review["sections"]
            listing = (await alice.get(f"/v1/sessions/{sid}/runs")).json()["items"]
            assert [(r["run_id"], r["status"]) for r in listing] == [(run_id, "waiting")]
            # the panel reopened later re-attaches and gets the outline again
            async with alice.stream("GET", f"/v1/runs/{run_id}/events") as response:
                again, _ = await _read_sse(response)
            assert [t for t, _ in again][-2:] == ["outline.review", "run.waiting"]
            assert again[-2][1]["sections"] == review["sections"]

            # refused answers leave the run waiting: not yours, empty outline, unknown field
            assert (await bob.post(f"/v1/runs/{run_id}/resume", json={})).status_code == 404
            bad = await alice.post(f"/v1/runs/{run_id}/resume", json={"outline": {"sections": []}})
            assert bad.status_code == 422 and bad.json()["error"]["code"] == "validation_error"
            bad = await alice.post(f"/v1/runs/{run_id}/resume", json={"outline": {"sections": [{"titel": "x"}]}})
            assert bad.status_code == 422
            assert (await alice.get(f"/v1/runs/{run_id}")).json()["status"] == "waiting"
            assert llm.calls == {"outline": 1}

            edited = {
                "title": "삼성전자 실적 점검",
                "sections": [
                    {"section_id": "s3", "title": "실적 점검", "instructions": "영업이익률을 먼저"},
                    {"title": "투자 포인트", "data": ["price"]},
                ],
            }
            status, resumed, _ = await _post_sse(alice, f"/v1/runs/{run_id}/resume", {"outline": edited})
            assert status == 200
            assert [d["seq"] for _, d in resumed] == list(range(last_seq + 1, last_seq + 1 + len(resumed)))
            assert resumed[-1][0] == "run.completed"
            done = [d["title"] for t, d in resumed if t == "section.done"]
            assert sorted(done) == ["실적 점검", "투자 포인트"]
            stored = (await alice.get(f"/v1/runs/{run_id}")).json()
            assert stored["status"] == "completed" and stored["review"] is None
            headings = [b["text"] for b in stored["result"]["blocks"] if b["type"] == "heading" and b["level"] == 2]
            assert headings[:2] == ["실적 점검", "투자 포인트"] and stored["result"]["title"] == "삼성전자 실적 점검"
            assert sorted(llm.section_titles) == ["실적 점검", "투자 포인트"]

            # answered once: a second answer is a conflict
            again_resp = await alice.post(f"/v1/runs/{run_id}/resume", json={})
            assert again_resp.status_code == 409 and again_resp.json()["error"]["code"] == "run_not_waiting"


async def test_a_review_not_answered_in_time_expires(gateway_factory, real_orchestrator, alice_token) -> None:
    with gateway_factory(orchestrator_url=real_orchestrator, run_review_ttl_s=1.0, run_stale_s=1.5) as gateway:
        async with gateway.client(alice_token) as alice:
            sid = (await alice.post("/v1/sessions", json={"doc_id": "doc-expire"})).json()["session_id"]
            _, events, _ = await _post_sse(alice, f"/v1/sessions/{sid}/runs", DRAFT)
            run_id = events[0][1]["run_id"]
            assert events[-1][0] == "run.waiting"
            await asyncio.sleep(1.6)
            answer = await alice.post(f"/v1/runs/{run_id}/resume", json={})
            assert answer.status_code == 409 and answer.json()["error"]["code"] == "review_expired"
            run = (await alice.get(f"/v1/runs/{run_id}")).json()
            assert run["status"] == "failed" and run["error"]["code"] == "review_expired"


async def test_the_cli_reviews_from_a_json_file_and_resumes_later(
    gateway_factory, real_orchestrator, alice_token, llm, tmp_path, capsys
) -> None:
    from finscribe_common.cli import build_parser
    from finscribe_common.cli.client.commands import _main

    outline = tmp_path / "outline.json"
    outline.write_text(
        '{"title": "점검", "sections": [{"title": "실적 및 재무", "instructions": "반기 실적만"}]}', encoding="utf-8"
    )
    with gateway_factory(orchestrator_url=real_orchestrator) as gateway:
        common = ["--gateway", gateway.base_url, "--token", alice_token, "--doc", "cli-review"]
        args = build_parser().parse_args(
            ["draft", "--company", "삼성전자", "--length", "short", "--as-of", AS_OF, "--review", str(outline), *common]
        )
        args.json = True
        assert await _main(args) == 0
        out = capsys.readouterr().out  # pykrx prints its own lines to stdout before the JSON
        result = json.loads(out[out.index('{\n  "') :])
        headings = [b["text"] for b in result["blocks"] if b["type"] == "heading" and b["level"] == 2]
        assert headings[0] == "실적 및 재무"
        assert llm.section_titles == ["실적 및 재무"]

        # a review left unanswered (bad file): the run waits; `finscribe resume` answers it later
        outline.write_text("{not json", encoding="utf-8")
        assert await _main(args) == 1
        assert "the run still waits: `finscribe resume" in capsys.readouterr().err
        async with gateway.client(alice_token) as alice:
            sid = (await alice.post("/v1/sessions", json={"doc_id": "cli-review"})).json()["session_id"]
            waiting = [
                r for r in (await alice.get(f"/v1/sessions/{sid}/runs")).json()["items"] if r["status"] == "waiting"
            ]
        assert len(waiting) == 1
        outline.write_text('{"sections": [{"title": "주가 동향"}]}', encoding="utf-8")
        resume = build_parser().parse_args(["resume", waiting[0]["run_id"], "--review", str(outline), *common])
        resume.json = True
        assert await _main(resume) == 0
        assert "주가 동향" in capsys.readouterr().out
