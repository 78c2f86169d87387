"""Check an upload by its content, not its name: a parseable PDF, or a CSV with a header.

These functions block (pypdf, file reads); callers run them through `run_blocking`.
"""

import csv
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError, PdfReadError, PyPdfError

from finscribe_common.errors import BadRequest, PayloadTooLarge, Unprocessable, UnsupportedMediaType

PDF_MAGIC = b"%PDF-"
_EOF_WINDOW = 2048
_MAX_NAME_CHARS = 200


class InvalidUpload(BadRequest):
    code = "invalid_file"


@dataclass
class PdfInfo:
    pages: int


@dataclass
class CsvInfo:
    rows: int
    columns: int
    encoding: str
    utf8: bytes


def sanitize_name(raw: str, kind: str) -> str:
    """A display name: the last path component, printable, with the right extension."""
    name = unicodedata.normalize("NFC", raw or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = name.strip().lstrip(".").strip()
    stem, dot, _ext = name.rpartition(".")
    if not dot:
        stem = name
    stem = stem[: _MAX_NAME_CHARS - 4].strip() or "upload"
    return f"{stem}.{kind}"


def sniff_kind(head: bytes, filename: str, content_type: str | None) -> str:
    lowered = filename.lower()
    if head.startswith(PDF_MAGIC):
        return "pdf"
    if lowered.endswith(".pdf") or (content_type or "").lower() == "application/pdf":
        raise UnsupportedMediaType("the file is named or typed as a PDF but is not one (no %PDF- header)")
    if lowered.endswith((".csv", ".txt")) or (content_type or "").lower() in ("text/csv", "text/plain"):
        return "csv"
    raise UnsupportedMediaType("only PDF and CSV files can be uploaded")


def inspect_pdf(path: Path, max_pages: int) -> PdfInfo:
    with path.open("rb") as handle:
        if handle.read(len(PDF_MAGIC)) != PDF_MAGIC:
            raise UnsupportedMediaType("the file is not a PDF")
        handle.seek(0, io.SEEK_END)
        size = handle.tell()
        handle.seek(max(0, size - _EOF_WINDOW))
        tail = handle.read()
    # pypdf quietly rebuilds a missing cross-reference table, so a cut-off upload would
    # parse; a complete PDF ends with %%EOF (incremental updates add theirs at the end)
    if b"%%EOF" not in tail:
        raise InvalidUpload("the PDF is truncated or damaged (no end-of-file marker)")
    try:
        reader = PdfReader(str(path), strict=False)
        if reader.is_encrypted:
            _open_with_empty_password(reader)
        pages = len(reader.pages)
        if pages:
            reader.pages[0].extract_text()
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise InvalidUpload(f"the PDF cannot be read: {type(exc).__name__}") from exc
    if pages == 0:
        raise InvalidUpload("the PDF has no pages")
    if pages > max_pages:
        raise PayloadTooLarge(f"the PDF has {pages} pages; the limit is {max_pages}")
    return PdfInfo(pages=pages)


class EncryptedPdf(Unprocessable):
    code = "pdf_encrypted"


def _open_with_empty_password(reader: PdfReader) -> None:
    """Many published reports are encrypted for permissions only: the user password is
    empty and every viewer opens them without asking. Those open the same way here (RC4
    or AES; pypdf's `crypto` extra brings AES). One that needs a real password is 422."""
    try:
        opened = reader.decrypt("")
    except DependencyError as exc:  # pypdf without cryptography: AES cannot be read
        raise EncryptedPdf("this PDF uses AES encryption, which this server cannot open") from exc
    if opened == PasswordType.NOT_DECRYPTED:
        raise EncryptedPdf(
            "this PDF needs a password to open; save an unprotected copy (or print it to PDF) and upload that"
        )


def _decode(raw: bytes) -> tuple[str, str]:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        # Excel on Korean Windows saves CSV as CP949 (a superset of EUC-KR)
        return raw.decode("cp949"), "cp949"
    except UnicodeDecodeError as exc:
        raise InvalidUpload("the CSV is neither UTF-8 nor CP949 text") from exc


def _looks_numeric(cell: str) -> bool:
    try:
        float(cell.replace(",", ""))
    except ValueError:
        return False
    return True


def inspect_csv(path: Path, max_rows: int, *, max_columns: int = 1000, max_cells: int = 2_000_000) -> CsvInfo:
    """Rows, columns and encoding of a CSV, refused (413) past `max_rows` data rows,
    `max_columns` columns or `max_cells` cells in all (a chart needs a few columns; a
    million of them costs the orchestrator minutes and gigabytes)."""
    raw = path.read_bytes()
    if b"\x00" in raw:
        raise InvalidUpload("the CSV contains binary data")
    text, encoding = _decode(raw)
    if not text.strip():
        raise InvalidUpload("the CSV is empty")
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    rows: list[list[str]] = []
    cells = 0
    try:
        for row in csv.reader(io.StringIO(text), dialect):
            if len(row) > max_columns:
                raise PayloadTooLarge(f"a CSV row has {len(row):,} columns; the limit is {max_columns:,}")
            cells += len(row)
            if cells > max_cells:
                raise PayloadTooLarge(f"the CSV has more than {max_cells:,} cells; the limit is {max_cells:,}")
            if any(cell.strip() for cell in row):
                rows.append(row)
    except csv.Error as exc:
        raise InvalidUpload(f"the CSV cannot be parsed: {exc}") from exc
    if not rows:
        raise InvalidUpload("the CSV is empty")
    header = [cell.strip() for cell in rows[0]]
    if not any(header) or all(_looks_numeric(cell) for cell in header if cell):
        raise InvalidUpload("the CSV needs a header row naming its columns")
    named = [cell for cell in header if cell]
    if len(set(named)) != len(named):
        raise InvalidUpload("the CSV header repeats a column name")
    data_rows = len(rows) - 1
    if data_rows == 0:
        raise InvalidUpload("the CSV has a header but no data rows")
    if data_rows > max_rows:
        raise PayloadTooLarge(f"the CSV has {data_rows} rows; the limit is {max_rows}")
    return CsvInfo(rows=data_rows, columns=len(header), encoding=encoding, utf8=text.encode("utf-8"))
