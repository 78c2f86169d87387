"""Issue 15, items 2, 4 and 7: what every kit app refuses at the door, in the envelope.

A real app built by the kit's factory, over real HTTP where timing matters (a stalled
body), in-process otherwise.
"""

import asyncio
import json
import socket

import httpx
import pytest
from fastapi import APIRouter, Request
from pydantic import BaseModel

from finscribe_common.app_factory import create_service_app
from finscribe_common.settings import ServiceSettings
from finscribe_common.text import SafeJSONResponse, bad_char, find_bad_text, scrub
from finscribe_testkit.common.server import serve_in_thread

STORED: list = []


class Note(BaseModel):
    text: str
    tags: list[str] = []
    extra: dict = {}


def build(**settings: object):
    router = APIRouter()

    @router.post("/v1/notes")
    async def create(note: Note) -> dict:
        STORED.append(note)
        return {"ok": True}

    @router.get("/v1/notes")
    async def search(q: str = "") -> dict:
        return {"q": q}

    @router.delete("/v1/notes")
    async def clear() -> dict:
        return {"cleared": True}

    @router.post("/v1/raw")
    async def raw(request: Request) -> dict:
        return {"bytes": len(await request.body())}

    @router.get("/v1/stored")
    async def stored() -> dict:
        return {"text": "보고서 \ud800 끝"}  # a row written before the guard existed

    return create_service_app(
        name="t",
        title="t",
        description="t",
        settings=ServiceSettings(**settings),
        routers=[router],
        internal=False,
        configure_logs=False,
    )


@pytest.fixture
async def client():
    STORED.clear()
    app = build()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        yield c


def raw_json(text: str) -> bytes:
    return text.encode()


@pytest.mark.parametrize(
    "body",
    [
        '{"text": "\\ud800"}',
        '{"text": "ok", "tags": ["a", "\\udfff"]}',
        '{"text": "ok", "extra": {"\\ud83d": 1}}',
        '{"text": "\\ufdd0"}',
        '{"text": "\\uffff"}',
        '{"text": "\\ud83d\\ud83d"}',
        '{"text": "' + "\U0010ffff" + '"}',
    ],
)
async def test_lone_surrogates_and_noncharacters_are_422_and_nothing_is_stored(client, body) -> None:
    response = await client.post("/v1/notes", content=raw_json(body), headers={"Content-Type": "application/json"})
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "invalid_text"
    assert STORED == []


async def test_paired_surrogates_and_korean_pass(client) -> None:
    body = '{"text": "\\ud83d\\ude00 삼성전자 \\uac00", "tags": ["\\u00e9"]}'
    response = await client.post("/v1/notes", content=raw_json(body), headers={"Content-Type": "application/json"})
    assert response.status_code == 200
    assert STORED[0].text == "😀 삼성전자 가"


async def test_an_escaped_backslash_is_not_an_escape(client) -> None:
    body = '{"text": "C:\\\\ud800 is a path"}'
    response = await client.post("/v1/notes", content=raw_json(body), headers={"Content-Type": "application/json"})
    assert response.status_code == 200 and STORED[0].text == "C:\\ud800 is a path"


async def test_bad_text_in_the_query_or_path_is_422(client) -> None:
    query = await client.get("/v1/notes", params={"q": "\uffff"})
    assert query.status_code == 422 and query.json()["error"]["code"] == "invalid_text"
    path = await client.get("/v1/notes/%EF%BF%BF")
    assert path.status_code == 422


async def test_nesting_deeper_than_the_limit_is_400(client) -> None:
    deep = {"text": "x", "extra": {}}
    node = deep["extra"]
    for _ in range(300):
        node["n"] = {}
        node = node["n"]
    response = await client.post("/v1/notes", json=deep)
    assert response.status_code == 400 and response.json()["error"]["code"] == "json_too_deep"
    very = '{"text": "x", "tags": ' + "[" * 100_000 + "]" * 100_000 + "}"
    response = await client.post("/v1/notes", content=very.encode(), headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and response.json()["error"]["code"] == "json_too_deep"
    shallow = {"text": "x", "extra": {"a": {"b": {"c": [[1, 2], [3]]}}}, "tags": ["[", "{"] * 40}
    assert (await client.post("/v1/notes", json=shallow)).status_code == 200


async def test_json_larger_than_the_cap_is_413_even_chunked() -> None:
    app = build(FINSCRIBE_MAX_JSON_BYTES=1000)

    async def chunks():
        for _ in range(20):
            yield b" " * 100

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        response = await c.post("/v1/raw", content=chunks(), headers={"Content-Type": "application/json"})
    assert response.status_code == 413 and response.json()["error"]["code"] == "too_large"


async def test_a_stalled_body_is_408() -> None:
    app = build(FINSCRIBE_BODY_IDLE_TIMEOUT_S=0.5)
    with serve_in_thread(app) as base:
        port = int(base.rsplit(":", 1)[1])

        def stall() -> bytes:
            with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
                sock.sendall(
                    b"POST /v1/raw HTTP/1.1\r\nHost: t\r\nContent-Type: application/octet-stream\r\n"
                    b"Content-Length: 100\r\n\r\n0123456789"
                )
                return sock.recv(65536)

        answer = await asyncio.to_thread(stall)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408"), answer
    assert json.loads(body)["error"]["code"] == "body_timeout"


async def test_stored_lone_surrogates_are_read_back_as_replacement_characters(client) -> None:
    response = await client.get("/v1/stored")
    assert response.status_code == 200 and response.json() == {"text": "보고서 \ufffd 끝"}


async def test_405_lists_every_method_of_the_path(client) -> None:
    response = await client.put("/v1/notes", json={})
    assert response.status_code == 405
    assert set(response.headers["allow"].split(", ")) == {"GET", "POST", "DELETE"}
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_text_helpers() -> None:
    assert bad_char("가\ud800") == "U+D800" and bad_char("가😀") is None
    assert find_bad_text({"a": [1, {"b": "\ufffe"}]}, max_depth=5) == ("bad_text:U+FFFE", ["a", "1", "b"])
    assert find_bad_text([[[[]]]], max_depth=3) == ("too_deep", ["0", "0", "0"])
    assert scrub({"k\udc00": ["\ud800x"]}) == {"k\ufffd": ["\ufffdx"]}
    assert SafeJSONResponse({"t": "\ud800"}).body == '{"t":"\ufffd"}'.encode()


async def test_a_request_uvicorn_cannot_parse_gets_the_envelope() -> None:
    """Issue 15, item 7: a control character in Content-Type never reaches the app; the
    protocol `finscribe serve` runs answers it in the envelope instead of plain text."""
    import uvicorn

    from finscribe_common.protocol import EnvelopeHTTPProtocol
    from finscribe_testkit.common.server import _Server, free_port

    port = free_port()
    config = uvicorn.Config(build(), host="127.0.0.1", port=port, log_config=None, http=EnvelopeHTTPProtocol)
    server = _Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.02)

    def send() -> bytes:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(b"POST /v1/notes HTTP/1.1\r\nHost: t\r\nContent-Type: appl\x01ication/json\r\n\r\n")
            return sock.recv(65536)

    try:
        answer = await asyncio.to_thread(send)
    finally:
        server.should_exit = True
        await task
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400"), answer
    assert b"content-type: application/json" in head.lower()
    error = json.loads(body)["error"]
    assert error["code"] == "bad_request" and error["request_id"]


async def test_oversized_headers_are_431(client) -> None:
    response = await client.get("/v1/notes", headers={"X-Padding": "p" * 40_000})
    assert response.status_code == 431 and response.json()["error"]["code"] == "headers_too_large"
    assert (await client.get("/v1/notes", headers={"Authorization": "Bearer " + "t" * 2000})).status_code == 200
