"""uvicorn's HTTP protocol with one change: a request it cannot parse (a control character
in a header, a broken request line) is answered with the error envelope, not uvicorn's
plain-text "Invalid HTTP request received.". Such a request never reaches the app, so no
middleware can do this.

Used by `finscribe serve` (uvicorn.run(http=...)) and by the gunicorn worker below.
"""

from uvicorn.protocols.http.auto import AutoHTTPProtocol

from finscribe_common.request_context import REQUEST_ID_HEADER, new_request_id
from finscribe_common.text import dumps_safe


def malformed_request_response(default_headers: list[tuple[bytes, bytes]]) -> bytes:
    request_id = new_request_id()
    message = "the HTTP request is malformed (request line or headers)"
    body = dumps_safe({"error": {"code": "bad_request", "message": message, "request_id": request_id}})
    head = [b"HTTP/1.1 400 Bad Request\r\n"]
    head += [name + b": " + value + b"\r\n" for name, value in default_headers]
    head += [
        b"content-type: application/json\r\n",
        b"content-length: " + str(len(body)).encode() + b"\r\n",
        REQUEST_ID_HEADER.lower().encode() + b": " + request_id.encode() + b"\r\n",
        b"connection: close\r\n\r\n",
    ]
    return b"".join(head) + body


class EnvelopeHTTPProtocol(AutoHTTPProtocol):  # type: ignore[misc, valid-type]
    def send_400_response(self, msg: str) -> None:
        self.transport.write(malformed_request_response(list(self.server_state.default_headers)))
        self.transport.close()
