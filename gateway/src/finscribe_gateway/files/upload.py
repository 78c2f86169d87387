"""Stream a multipart upload to disk, stopping as soon as it passes the size cap.

FastAPI's `UploadFile` would read the whole body (into memory, then a spooled temp
file) before any check runs; here the cap is enforced while the bytes arrive.
"""

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import ClientDisconnect, Request

from finscribe_common.errors import BadRequest, PayloadTooLarge, UnsupportedMediaType
from finscribe_common.threads import run_blocking

_MAX_FIELD_BYTES = 4096
_MAX_FIELDS = 8  # parts besides `file`: the extension sends none; a few for other clients
_MAX_PART_HEADER_BYTES = 8192  # all headers of one part together
_MAX_BOUNDARY = 70  # RFC 2046 section 5.1.1: 1 to 70 characters
_MULTIPART_OVERHEAD = 64 * 1024
_DISK_TIMEOUT_S = 30.0


@dataclass
class ReceivedFile:
    path: Path
    filename: str
    content_type: str | None
    size: int


@dataclass
class _PartState:
    headers: dict[str, bytes] = field(default_factory=dict)
    header_field: bytearray = field(default_factory=bytearray)
    header_value: bytearray = field(default_factory=bytearray)
    name: str | None = None
    filename: str | None = None
    is_file: bool = False
    text: bytearray = field(default_factory=bytearray)
    header_bytes: int = 0


class _Collector:
    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.part = _PartState()
        self.pending: bytearray = bytearray()  # file bytes parsed from the current chunk
        self.file_size = 0
        self.file_seen = False
        self.file_name: str | None = None
        self.file_type: str | None = None
        self.fields: dict[str, str] = {}
        self.parts = 0
        self.error: Exception | None = None
        self.ended = False

    def on_end(self) -> None:
        self.ended = True

    def on_part_begin(self) -> None:
        self.part = _PartState()
        self.parts += 1
        if self.parts > _MAX_FIELDS + 1:
            self.error = BadRequest(f"too many form fields: send the part 'file' and at most {_MAX_FIELDS} others")

    def _header_bytes(self, more: int) -> None:
        self.part.header_bytes += more
        if self.part.header_bytes > _MAX_PART_HEADER_BYTES:
            self.error = BadRequest(f"the headers of a form part are longer than {_MAX_PART_HEADER_BYTES} bytes")

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_bytes(end - start)
        if self.error is None:
            self.part.header_field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_bytes(end - start)
        if self.error is None:
            self.part.header_value += data[start:end]

    def on_header_end(self) -> None:
        self.part.headers[bytes(self.part.header_field).decode("latin-1").lower()] = bytes(self.part.header_value)
        self.part.header_field.clear()
        self.part.header_value.clear()

    def on_headers_finished(self) -> None:
        _, params = parse_options_header(self.part.headers.get("content-disposition", b""))
        name = params.get(b"name")
        self.part.name = name.decode("utf-8", "replace") if name is not None else None
        filename = params.get(b"filename*") or params.get(b"filename")
        if filename is not None:
            self.part.filename = _decode_filename(filename)
        if self.part.name == "file":
            if self.file_seen:
                self.error = BadRequest("send exactly one part named 'file'")
                return
            self.file_seen = True
            self.part.is_file = True
            self.file_name = self.part.filename
            content_type = self.part.headers.get("content-type")
            self.file_type = content_type.decode("latin-1") if content_type else None

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self.part.is_file:
            self.file_size += end - start
            if self.file_size > self.max_bytes:
                self.error = PayloadTooLarge(f"the file is larger than the {self.max_bytes // (1024 * 1024)} MB limit")
                return
            self.pending += data[start:end]
        elif self.part.name is not None and self.error is None:
            self.part.text += data[start:end]
            if len(self.part.text) > _MAX_FIELD_BYTES:
                name = self.part.name[:40].encode("unicode_escape").decode("ascii")
                self.error = PayloadTooLarge(f"form field {name!r} is longer than {_MAX_FIELD_BYTES} bytes")

    def on_part_end(self) -> None:
        if self.part.name is not None and not self.part.is_file:
            self.fields[self.part.name] = self.part.text.decode("utf-8", "replace")


def _decode_filename(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace")
    # RFC 5987 form from some clients: UTF-8''%ED%95%9C.pdf
    if text.lower().startswith("utf-8''"):
        from urllib.parse import unquote

        return unquote(text[7:])
    return text


async def receive_upload(request: Request, temp_path: Path, max_bytes: int) -> tuple[ReceivedFile, dict[str, str]]:
    content_type, params = parse_options_header(request.headers.get("content-type"))
    if content_type != b"multipart/form-data" or not params.get(b"boundary"):
        raise UnsupportedMediaType("upload as multipart/form-data with a part named 'file'")
    if len(params[b"boundary"]) > _MAX_BOUNDARY:
        raise BadRequest(f"the multipart boundary is longer than {_MAX_BOUNDARY} characters (RFC 2046)")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes + _MULTIPART_OVERHEAD:
        raise PayloadTooLarge(f"the upload is larger than the {max_bytes // (1024 * 1024)} MB limit")
    collector = _Collector(max_bytes)
    parser = MultipartParser(
        params[b"boundary"],
        callbacks={
            "on_part_begin": collector.on_part_begin,
            "on_header_field": collector.on_header_field,
            "on_header_value": collector.on_header_value,
            "on_header_end": collector.on_header_end,
            "on_headers_finished": collector.on_headers_finished,
            "on_part_data": collector.on_part_data,
            "on_part_end": collector.on_part_end,
            "on_end": collector.on_end,
        },
    )
    handle: IO[bytes] = await run_blocking(open, temp_path, "wb", timeout=_DISK_TIMEOUT_S, pool="files")
    try:
        try:
            async for chunk in request.stream():
                try:
                    parser.write(chunk)
                except ValueError as exc:  # python-multipart's parse errors subclass ValueError
                    raise BadRequest(f"malformed multipart body: {exc}") from exc
                if collector.error is not None:
                    raise collector.error
                if collector.pending:
                    data = bytes(collector.pending)
                    collector.pending.clear()
                    await run_blocking(handle.write, data, timeout=_DISK_TIMEOUT_S, pool="files")
            parser.finalize()
        except ClientDisconnect as exc:
            raise BadRequest("the upload was interrupted") from exc
    finally:
        await run_blocking(handle.close, timeout=_DISK_TIMEOUT_S, pool="files")
    if collector.error is not None:
        raise collector.error
    if not collector.ended:
        # python-multipart's finalize() does not check for the closing boundary
        raise BadRequest("the multipart body is incomplete (no closing boundary)")
    if not collector.file_seen:
        raise BadRequest("no part named 'file' in the upload")
    if collector.file_size == 0:
        raise BadRequest("the uploaded file is empty")
    return (
        ReceivedFile(
            path=temp_path,
            filename=collector.file_name or "",
            content_type=collector.file_type,
            size=collector.file_size,
        ),
        collector.fields,
    )


def discard(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()
