import httpx
import pytest

from finscribe_common.envelope import ErrorEnvelope, read_error, response_error
from finscribe_common.errors import error_body


def test_reads_what_the_kit_writes() -> None:
    body = error_body("not_found", "no such run", details={"run_id": "r1"})
    assert read_error(body) == ErrorEnvelope("not_found", "no such run", None, {"run_id": "r1"})
    raw = b'{"error": {"code": "rate_limited", "message": "slow down", "request_id": "abc"}}'
    assert read_error(raw) == ErrorEnvelope("rate_limited", "slow down", "abc")
    assert read_error(raw.decode()) == read_error(raw)


@pytest.mark.parametrize(
    "body",
    [
        None,
        b"",
        b"<html>502 Bad Gateway</html>",
        b"[]",
        b'{"detail": "Not Found"}',
        b'{"error": "boom"}',
        b'{"error": {"code": 5, "message": "x"}}',
        b'{"error": {"code": "x"}}',
        {"error": None},
    ],
)
def test_anything_else_is_not_an_envelope(body: object) -> None:
    assert read_error(body) is None  # type: ignore[arg-type]


def test_a_request_id_that_is_not_a_string_is_dropped() -> None:
    assert read_error({"error": {"code": "c", "message": "m", "request_id": 7}}) == ErrorEnvelope("c", "m")


def test_reads_an_http_answer() -> None:
    response = httpx.Response(503, json=error_body("unavailable", "down"))
    found = response_error(response)
    assert found is not None and found.code == "unavailable" and found.message == "down"
    assert response_error(httpx.Response(502, text="bad gateway")) is None
