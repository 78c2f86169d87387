"""Uploads over real HTTP: checked by content, capped while streaming, PDFs sent to rag.

PDF and CSV bytes come from the real recorded fixtures (a 28-page Korean paper, Yahoo
Finance closes, DART statement rows); the bad inputs are cut or re-encoded from them.
"""

import asyncio
import csv
import io

import httpx

from finscribe_gateway.files.rag_client import collection_name
from finscribe_testkit.common.fixtures import fixture_path

ALICE_SUB = "100000000000000000001"


def _pdf() -> bytes:
    return fixture_path("ko_finance_llm_paper.pdf").read_bytes()


def _dart_csv_cp949() -> bytes:
    """The real DART rows (Korean account names) as Excel on Korean Windows saves them."""
    text = fixture_path("dart_fnlttSinglAcntAll_00126380_2024_11012_CFS.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow(row[7:12])  # account_id, account_nm, account_detail, thstrm_nm, thstrm_amount
    return out.getvalue().encode("cp949")


async def _upload(client: httpx.AsyncClient, sid: str, name: str, data: bytes, ctype: str = "application/pdf"):
    return await client.post(f"/v1/sessions/{sid}/files", files={"file": (name, data, ctype)})


async def test_pdf_is_stored_and_indexed_in_rag(gateway, alice, alice_session: str, rag) -> None:
    response = await _upload(alice, alice_session, "2024 금융 LLM 논문.pdf", _pdf())
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["kind"] == "pdf"
    assert body["pages"] == 28
    assert body["bytes"] == len(_pdf())
    assert body["status"] == "indexed"
    assert body["name"] == "2024 금융 LLM 논문.pdf"
    collection = collection_name(ALICE_SUB, alice_session)
    assert rag.documents[collection][body["file_id"]]["bytes"] == len(_pdf())
    assert rag.documents[collection][body["file_id"]]["magic"] == b"%PDF-"
    assert rag.documents[collection][body["file_id"]]["name"] == "2024 금융 LLM 논문.pdf"
    listed = (await alice.get(f"/v1/sessions/{alice_session}/files")).json()["items"]
    assert [f["file_id"] for f in listed] == [body["file_id"]]


async def test_rag_unreachable_keeps_the_file_as_failed(gateway_factory, alice_token: str) -> None:
    with gateway_factory(rag_url="http://127.0.0.1:9") as gw:
        async with gw.client(alice_token) as client:
            sid = (await client.post("/v1/sessions", json={"doc_id": "doc-rag-down"})).json()["session_id"]
            response = await _upload(client, sid, "paper.pdf", _pdf())
            assert response.status_code == 201
            body = response.json()
            assert body["status"] == "failed"
            assert "unreachable" in body["status_reason"]
            listed = (await client.get(f"/v1/sessions/{sid}/files")).json()["items"]
            assert listed[0]["status"] == "failed"
            # rag may hold its chunks all the same (it can finish after the gateway gave up):
            # the delete must reach rag, so while rag is down the file stays for a retry
            assert (await client.delete(f"/v1/sessions/{sid}/files/{body['file_id']}")).status_code == 503


async def test_not_a_pdf(alice, alice_session: str) -> None:
    response = await _upload(
        alice, alice_session, "report.pdf", fixture_path("yahoo_005930.KS_close_2024.csv").read_bytes()
    )
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"


async def test_truncated_pdf(alice, alice_session: str) -> None:
    data = _pdf()
    response = await _upload(alice, alice_session, "cut.pdf", data[: len(data) // 2])
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_file"
    assert "truncated" in response.json()["error"]["message"]


async def test_oversized_upload_is_413_and_leaves_nothing(gateway_factory, alice_token: str) -> None:
    with gateway_factory(max_upload_mb=1) as gw:
        async with gw.client(alice_token) as client:
            sid = (await client.post("/v1/sessions", json={"doc_id": "doc-big"})).json()["session_id"]
            response = await _upload(client, sid, "paper.pdf", _pdf())
            assert response.status_code == 413
            assert response.json()["error"]["code"] == "too_large"
            assert (await client.get(f"/v1/sessions/{sid}/files")).json()["items"] == []
        incoming = gw.settings.resolved_files_dir / ".incoming"
        assert list(incoming.iterdir()) == []


async def test_oversized_without_content_length_is_cut_while_streaming(gateway_factory, alice_token: str) -> None:
    boundary = "finscribeboundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    pdf = _pdf()

    async def body():
        yield head
        for i in range(0, len(pdf), 65536):
            yield pdf[i : i + 65536]
        yield f"\r\n--{boundary}--\r\n".encode()

    with gateway_factory(max_upload_mb=1) as gw:
        async with gw.client(alice_token) as client:
            sid = (await client.post("/v1/sessions", json={"doc_id": "doc-chunked"})).json()["session_id"]
            response = await client.post(
                f"/v1/sessions/{sid}/files",
                content=body(),
                headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
            )
    assert response.status_code == 413


async def test_path_traversal_name_is_sanitised(gateway, alice, alice_session: str) -> None:
    response = await _upload(alice, alice_session, "../../x.pdf", _pdf())
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "x.pdf"
    files_dir = gateway.settings.resolved_files_dir
    stored = list(files_dir.rglob("*.pdf"))
    assert len(stored) == 1
    assert stored[0].is_relative_to(files_dir / alice_session)
    assert "x.pdf" not in str(stored[0])
    assert not (files_dir.parent / "x.pdf").exists()


async def test_empty_csv(alice, alice_session: str) -> None:
    for data in (b"", b"\n\n  \n"):
        response = await _upload(alice, alice_session, "empty.csv", data, "text/csv")
        assert response.status_code == 400, data
    header_only = await _upload(alice, alice_session, "h.csv", b"Date,005930\n", "text/csv")
    assert header_only.status_code == 400
    assert "no data rows" in header_only.json()["error"]["message"]
    no_header = await _upload(alice, alice_session, "n.csv", b"2024,77916.6\n2025,1\n", "text/csv")
    assert no_header.status_code == 400
    assert "header" in no_header.json()["error"]["message"]


async def test_cp949_csv_is_accepted_and_served_as_utf8(gateway, alice, alice_session: str) -> None:
    data = _dart_csv_cp949()
    response = await _upload(alice, alice_session, "삼성전자_재무.csv", data, "text/csv")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["kind"] == "csv"
    assert body["status"] == "stored"
    assert body["rows"] == len(data.decode("cp949").strip().splitlines()) - 1
    async with httpx.AsyncClient(base_url=gateway.base_url) as internal:
        url = f"/internal/v1/files/{body['file_id']}/content"
        assert (await internal.get(url)).status_code == 401
        assert (await internal.get(url, headers={"X-Internal-Token": "wrong"})).status_code == 401
        served = await internal.get(
            url, headers={"X-Internal-Token": gateway.settings.internal_token.get_secret_value()}
        )
    assert served.status_code == 200
    assert served.headers["content-type"].startswith("text/csv")
    text = served.content.decode("utf-8")
    assert "자산총계" in text
    assert "485757698000000" in text


async def test_csv_that_is_neither_utf8_nor_cp949(alice, alice_session: str) -> None:
    response = await _upload(alice, alice_session, "bad.csv", b"name,value\n\xff\xfe\xfa\xfb,1\n", "text/csv")
    assert response.status_code == 400
    assert "UTF-8" in response.json()["error"]["message"]


async def test_unsupported_type_and_wrong_media(alice, alice_session: str) -> None:
    png = await _upload(alice, alice_session, "x.png", b"\x89PNG\r\n\x1a\n....", "image/png")
    assert png.status_code == 415
    json_body = await alice.post(f"/v1/sessions/{alice_session}/files", json={"file": "x"})
    assert json_body.status_code == 415
    no_file = await alice.post(f"/v1/sessions/{alice_session}/files", data={"doc": "x"}, files={"other": ("a", b"b")})
    assert no_file.status_code == 400


async def test_per_session_file_limit(gateway_factory, alice_token: str) -> None:
    csv_bytes = fixture_path("yahoo_005930.KS_close_2024.csv").read_bytes()
    with gateway_factory(max_files_per_session=2) as gw:
        async with gw.client(alice_token) as client:
            sid = (await client.post("/v1/sessions", json={"doc_id": "doc-limit"})).json()["session_id"]
            for _ in range(2):
                assert (await _upload(client, sid, "c.csv", csv_bytes, "text/csv")).status_code == 201
            third = await _upload(client, sid, "c.csv", csv_bytes, "text/csv")
    assert third.status_code == 409
    assert third.json()["error"]["code"] == "too_many_files"


async def test_delete_file_drops_its_vectors(gateway, alice, alice_session: str, rag) -> None:
    body = (await _upload(alice, alice_session, "paper.pdf", _pdf())).json()
    response = await alice.delete(f"/v1/sessions/{alice_session}/files/{body['file_id']}")
    assert response.status_code == 204
    assert rag.deleted_documents == [(collection_name(ALICE_SUB, alice_session), body["file_id"])]
    assert (await alice.get(f"/v1/sessions/{alice_session}/files")).json()["items"] == []
    assert list(gateway.settings.resolved_files_dir.rglob("*.pdf")) == []
    assert (await alice.delete(f"/v1/sessions/{alice_session}/files/{body['file_id']}")).status_code == 404


async def test_slow_indexing_answers_pending_then_indexes(gateway_factory, alice_token: str, rag) -> None:
    rag.delay = 0.5
    with gateway_factory(rag_index_wait_s=0.05) as gw:
        async with gw.client(alice_token) as client:
            sid = (await client.post("/v1/sessions", json={"doc_id": "doc-slow"})).json()["session_id"]
            body = (await _upload(client, sid, "paper.pdf", _pdf())).json()
            assert body["status"] == "pending"
            for _ in range(100):
                listed = (await client.get(f"/v1/sessions/{sid}/files")).json()["items"]
                if listed[0]["status"] != "pending":
                    break
                await asyncio.sleep(0.05)
    assert listed[0]["status"] == "indexed"


async def test_shutdown_during_indexing_marks_the_file_failed(gateway_factory, alice_token: str, rag) -> None:
    rag.delay = 5
    with gateway_factory(rag_index_wait_s=0, shutdown_grace_s=0.1) as gw:
        async with gw.client(alice_token) as client:
            sid = (await client.post("/v1/sessions", json={"doc_id": "doc-stop"})).json()["session_id"]
            body = (await _upload(client, sid, "paper.pdf", _pdf())).json()
            assert body["status"] == "pending"
    with gateway_factory() as gw:
        async with gw.client(alice_token) as client:
            listed = (await client.get(f"/v1/sessions/{sid}/files")).json()["items"]
    assert listed[0]["status"] == "failed"
    assert "interrupted" in listed[0]["status_reason"]


async def test_multipart_without_closing_boundary(alice, alice_session: str) -> None:
    boundary = "finscribeboundary"
    csv_bytes = fixture_path("yahoo_005930.KS_close_2024.csv").read_bytes()
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="c.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode() + csv_bytes[:1000]
    response = await alice.post(
        f"/v1/sessions/{alice_session}/files",
        content=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert response.status_code == 400
    assert "incomplete" in response.json()["error"]["message"]


async def test_file_deleted_while_indexing_leaves_no_vectors(gateway_factory, alice_token: str, rag) -> None:
    rag.delay = 0.6
    with gateway_factory(rag_index_wait_s=0) as gw:
        async with gw.client(alice_token) as client:
            sid = (await client.post("/v1/sessions", json={"doc_id": "doc-race"})).json()["session_id"]
            body = (await _upload(client, sid, "paper.pdf", _pdf())).json()
            assert body["status"] == "pending"
            assert (await client.delete(f"/v1/sessions/{sid}/files/{body['file_id']}")).status_code == 204
            collection = collection_name(ALICE_SUB, sid)
            for _ in range(100):
                await asyncio.sleep(0.05)
                if rag.deleted_documents.count((collection, body["file_id"])) >= 2:
                    break
    assert body["file_id"] not in rag.documents.get(collection, {})
