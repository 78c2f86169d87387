"""Issue 15, item 1: a deleted file's vectors never outlive it.

Every delete asks rag whatever the file's status; a restarted gateway reconciles files a
dead process left unsettled with what rag really holds; a periodic sweep deletes vectors
whose file or session is gone. Rag is the contract fake of conftest.py (FakeRag); the
PDF is the real recorded paper.
"""

import asyncio
import uuid

from finscribe_gateway.files.rag_client import collection_name, session_of_collection
from finscribe_testkit.common.fixtures import fixture_path

ALICE_SUB = "100000000000000000001"


def _pdf() -> bytes:
    return fixture_path("ko_finance_llm_paper.pdf").read_bytes()


async def _upload(client, sid: str):
    return await client.post(f"/v1/sessions/{sid}/files", files={"file": ("paper.pdf", _pdf(), "application/pdf")})


async def _new_session(client, doc_id: str) -> str:
    return (await client.post("/v1/sessions", json={"doc_id": doc_id})).json()["session_id"]


async def _files(client, sid: str) -> list[dict]:
    return (await client.get(f"/v1/sessions/{sid}/files")).json()["items"]


def test_collection_names_map_back_to_their_session() -> None:
    sid = uuid.uuid4().hex
    assert session_of_collection(collection_name(ALICE_SUB, sid)) == sid
    assert session_of_collection("u0123-sabc") is None
    assert session_of_collection("someone-elses-collection") is None


async def test_deleting_a_failed_pdf_still_removes_its_vectors(gateway, alice, alice_session: str, rag) -> None:
    rag.fail_with = 503
    body = (await _upload(alice, alice_session)).json()
    assert body["status"] == "failed"
    rag.fail_with = None
    collection = collection_name(ALICE_SUB, alice_session)
    # rag had finished after all (the gateway gave up on it): its chunks are there
    rag.documents.setdefault(collection, {})[body["file_id"]] = {"bytes": 1}
    assert (await alice.delete(f"/v1/sessions/{alice_session}/files/{body['file_id']}")).status_code == 204
    assert (collection, body["file_id"]) in rag.deleted_documents
    assert body["file_id"] not in rag.documents.get(collection, {})


async def test_deleting_a_failed_pdf_while_rag_is_down_keeps_it_for_a_retry(alice, alice_session: str, rag) -> None:
    rag.fail_with = 503
    body = (await _upload(alice, alice_session)).json()
    response = await alice.delete(f"/v1/sessions/{alice_session}/files/{body['file_id']}")
    assert response.status_code == 503 and response.json()["error"]["code"] == "unavailable"
    assert [f["file_id"] for f in await _files(alice, alice_session)] == [body["file_id"]]


async def test_a_restart_marks_indexed_what_rag_finished_after_the_gateway_stopped(
    gateway_factory, alice_token: str, rag
) -> None:
    rag.delay = 1.0
    with gateway_factory(rag_index_wait_s=0, shutdown_grace_s=0.05) as gw:
        async with gw.client(alice_token) as client:
            sid = await _new_session(client, "doc-restart")
            body = (await _upload(client, sid)).json()
            assert body["status"] == "pending"
    collection = collection_name(ALICE_SUB, sid)
    for _ in range(60):  # rag carries on with the PDF after the gateway hung up
        if body["file_id"] in rag.documents.get(collection, {}):
            break
        await asyncio.sleep(0.05)
    assert body["file_id"] in rag.documents.get(collection, {})
    with gateway_factory() as gw:
        async with gw.client(alice_token) as client:
            listed = await _files(client, sid)
    assert listed[0]["status"] == "indexed", listed


async def test_the_sweep_drops_vectors_of_files_and_sessions_that_are_gone(
    gateway_factory, alice_token: str, rag
) -> None:
    with gateway_factory(run_stale_s=0.9, rag_sweep_s=0.3) as gw:
        async with gw.client(alice_token) as client:
            sid = await _new_session(client, "doc-sweep")
            kept = (await _upload(client, sid)).json()
            assert kept["status"] == "indexed"
            collection = collection_name(ALICE_SUB, sid)
            orphan = uuid.uuid4().hex  # a file row deleted while rag was unreachable, say
            rag.documents[collection][orphan] = {"bytes": 1}
            gone_session = collection_name(ALICE_SUB, uuid.uuid4().hex)
            rag.documents[gone_session] = {uuid.uuid4().hex: {"bytes": 1}}
            foreign = "not-made-by-this-gateway"
            rag.documents[foreign] = {"x": {"bytes": 1}}
            for _ in range(100):
                await asyncio.sleep(0.05)
                if orphan not in rag.documents[collection] and gone_session not in rag.documents:
                    break
            listed = await _files(client, sid)
    assert orphan not in rag.documents[collection]
    assert gone_session not in rag.documents
    assert kept["file_id"] in rag.documents[collection]
    assert foreign in rag.documents
    assert [f["file_id"] for f in listed] == [kept["file_id"]]
