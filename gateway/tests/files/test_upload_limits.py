"""Issue 15, items 4 and 6: what an upload may not do (each a 4xx in the envelope, nothing
stored), and protected PDFs: permissions-only encryption opens, a real password is 422.

PDFs are the real recorded paper, encrypted here with pypdf; CSVs are built from the real
Yahoo closes fixture.
"""

import io

import httpx
import pytest
from pypdf import PdfReader, PdfWriter

from finscribe_testkit.common.fixtures import fixture_path


def _encrypted(user: str, algorithm: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(fixture_path("ko_finance_llm_paper.pdf")))
    writer.encrypt(user_password=user, owner_password="publisher-owner-password", algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


async def _upload(client: httpx.AsyncClient, sid: str, name: str, data: bytes, ctype: str) -> httpx.Response:
    return await client.post(f"/v1/sessions/{sid}/files", files={"file": (name, data, ctype)})


async def _nothing_stored(client: httpx.AsyncClient, sid: str, gateway) -> None:
    assert (await client.get(f"/v1/sessions/{sid}/files")).json()["items"] == []
    assert [p for p in gateway.settings.resolved_files_dir.rglob("*") if p.is_file()] == []


@pytest.mark.parametrize("algorithm", ["AES-256", "AES-128", "RC4-128"])
async def test_permissions_only_pdfs_are_accepted(gateway, alice, alice_session, rag, algorithm) -> None:
    response = await _upload(alice, alice_session, "report.pdf", _encrypted("", algorithm), "application/pdf")
    assert response.status_code == 201, response.text
    assert response.json()["pages"] == 28


async def test_a_pdf_that_needs_a_password_is_422_pdf_encrypted(gateway, alice, alice_session, rag) -> None:
    response = await _upload(alice, alice_session, "locked.pdf", _encrypted("secret", "AES-256"), "application/pdf")
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "pdf_encrypted" and "password" in error["message"]
    await _nothing_stored(alice, alice_session, gateway)
    assert rag.documents == {}


def _multipart(boundary: str, parts: list[tuple[str, str]], file_body: bytes = b"a,b\n1,2\n") -> bytes:
    out = b""
    for name, value in parts:
        out += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
    out += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="c.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode() + file_body
    return out + f"\r\n--{boundary}--\r\n".encode()


@pytest.mark.parametrize(
    ("parts", "status"),
    [
        ([(f"f{i}", "x") for i in range(50)], 400),  # many small fields
        ([("note", "x" * 100_000)], 413),  # one huge field
    ],
)
async def test_form_fields_are_capped(gateway, alice, alice_session, parts, status) -> None:
    boundary = "finscribeboundary"
    response = await alice.post(
        f"/v1/sessions/{alice_session}/files",
        content=_multipart(boundary, parts),
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert response.status_code == status, response.text
    assert response.json()["error"]["message"]
    await _nothing_stored(alice, alice_session, gateway)


async def test_part_headers_and_boundaries_are_capped(gateway, alice, alice_session) -> None:
    long_boundary = "b" * 300
    response = await alice.post(
        f"/v1/sessions/{alice_session}/files",
        content=_multipart(long_boundary, []),
        headers={"Content-Type": f"multipart/form-data; boundary={long_boundary}"},
    )
    assert response.status_code == 400 and "boundary" in response.json()["error"]["message"]
    boundary = "finscribeboundary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="c.csv"\r\n'
        f"X-Padding: {'p' * 20_000}\r\nContent-Type: text/csv\r\n\r\na,b\n1,2\n\r\n--{boundary}--\r\n"
    ).encode()
    response = await alice.post(
        f"/v1/sessions/{alice_session}/files",
        content=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert response.status_code == 400 and "header" in response.json()["error"]["message"].lower()
    await _nothing_stored(alice, alice_session, gateway)


async def test_csv_columns_and_cells_are_capped(gateway_factory, alice_token) -> None:
    closes = fixture_path("yahoo_005930.KS_close_2024.csv").read_text(encoding="utf-8").splitlines()
    wide = ",".join(f"c{i}" for i in range(20_000)) + "\n" + ",".join(["1"] * 20_000) + "\n"
    with gateway_factory(max_csv_columns=100, max_csv_cells=200) as gw:
        async with gw.client(alice_token) as client:
            sid = (await client.post("/v1/sessions", json={"doc_id": "doc-wide"})).json()["session_id"]
            too_wide = await _upload(client, sid, "wide.csv", wide.encode(), "text/csv")
            assert too_wide.status_code == 413 and "columns" in too_wide.json()["error"]["message"]
            too_many = await _upload(client, sid, "closes.csv", "\n".join(closes).encode(), "text/csv")
            assert too_many.status_code == 413 and "cells" in too_many.json()["error"]["message"]
            await _nothing_stored(client, sid, gw)
            fits = await _upload(client, sid, "closes.csv", "\n".join(closes[:30]).encode(), "text/csv")
            assert fits.status_code == 201, fits.text
