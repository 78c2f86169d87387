"""Read a PDF's text page by page with PDFium (pypdfium2), and refuse what cannot be indexed.

PDFium (BSD-3/Apache-2.0 through pypdfium2) rather than pypdf or PyMuPDF: on FinanceBench's
10-Ks it extracts ~150-200 pages per CPU-second against pypdf's 3-7 (bench/rag_eval.py),
with the same text on the real Korean paper (tests/test_pdf.py), and it decrypts
RC4/AES-encrypted files itself, so a permissions-only PDF opens with the empty password
without any extra crypto package.

Limits are by content, not page count: the file size (checked first), the amount of text
extracted, and a parse deadline checked between pages (a thread cannot be interrupted,
so the loop stops itself).
"""

import logging
import threading
import time
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from finscribe_common.errors import ApiError, PayloadTooLarge, Unprocessable, UnsupportedMediaType

logger = logging.getLogger("finscribe.rag.pdf")

PDF_MAGIC = b"%PDF-"
# A document with fewer letters than this is treated as having no text layer (scans give
# 0-5 stray characters such as page numbers added by the scanner software).
MIN_TEXT_CHARS_PER_DOC = 20
# PDFium marks a hyphen it removed at a line end with U+FFFE ("Text\ufffeto-Video" for
# "Text-" / "to-Video"); we give back what the page shows and let cleaning decide.
_SOFT_HYPHEN_MARK = "\ufffe"

# PDFium is not thread-safe: one document operation at a time per process.
_pdfium_lock = threading.Lock()


@dataclass(frozen=True)
class PdfPages:
    pages: list[str]  # raw extracted text, lines separated by "\n", index 0 = page 1
    title: str | None
    chars: int = 0  # characters extracted in all
    parse_s: float = 0.0  # wall-clock seconds spent opening and extracting


class PdfRejected(ApiError):
    status_code = 422
    code = "invalid_pdf"


def _looks_like_pdf(data: bytes) -> bool:
    # The header may follow a little junk (the spec tolerates up to 1 KB before it).
    return PDF_MAGIC in data[:1024]


def _open(data: bytes) -> pdfium.PdfDocument:
    try:
        # The empty password opens "owner-password only" (permissions) PDFs, as viewers do.
        return pdfium.PdfDocument(data, password="")
    except pdfium.PdfiumError as exc:
        if exc.err_code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise PdfRejected(
                "the PDF is encrypted and needs a password to open; upload an unprotected copy",
                code="pdf_encrypted",
            ) from exc
        raise PdfRejected(f"the PDF is damaged and cannot be read ({exc})", code="pdf_corrupt") from exc


def _page_text(document: pdfium.PdfDocument, index: int) -> str:
    try:
        page = document[index]
        try:
            textpage = page.get_textpage()
            try:
                text = textpage.get_text_range()
            finally:
                textpage.close()
        finally:
            page.close()
    except pdfium.PdfiumError as exc:
        # One broken page should not lose the whole document; it indexes as empty.
        logger.warning("page %d text extraction failed: %s", index + 1, exc)
        return ""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace(_SOFT_HYPHEN_MARK, "-\n")


def _title(document: pdfium.PdfDocument) -> str | None:
    try:
        title = document.get_metadata_value("Title")
    except (pdfium.PdfiumError, KeyError, ValueError):
        return None
    return title.strip() if isinstance(title, str) and title.strip() else None


def read_pdf(data: bytes, *, max_bytes: int, max_text_chars: int, parse_timeout_s: float) -> PdfPages:
    """Blocking: call through run_blocking. The text of every page, 0-based list = 1-based pages.

    Raises (envelope of docs/API.md): 413 `too_large` (file over `max_bytes`, or more than
    `max_text_chars` characters of text), 413 `pdf_too_slow` (extraction past
    `parse_timeout_s` seconds), 415 `not_a_pdf`, 422 `empty_file`, `pdf_encrypted` (a user
    password is needed), `pdf_corrupt`, `pdf_no_text` (no text layer).
    """
    if len(data) > max_bytes:
        raise PayloadTooLarge(
            f"PDF is {len(data) / 1_048_576:.1f} MB; the limit is {max_bytes / 1_048_576:g} MB", code="too_large"
        )
    if not data:
        raise Unprocessable("the uploaded file is empty", code="empty_file")
    if not _looks_like_pdf(data):
        raise UnsupportedMediaType("the uploaded file is not a PDF (no %PDF- header)", code="not_a_pdf")
    started = time.perf_counter()
    pages: list[str] = []
    chars = 0
    with _pdfium_lock:
        document = _open(data)
        try:
            count = len(document)
            if count == 0:
                raise PdfRejected("the PDF has no pages", code="pdf_corrupt")
            for index in range(count):
                text = _page_text(document, index)
                pages.append(text)
                chars += len(text)
                if chars > max_text_chars:
                    raise PayloadTooLarge(
                        f"the PDF holds more than {max_text_chars:,} characters of text "
                        f"(reached on page {index + 1} of {count}); split it into smaller files",
                        code="too_large",
                    )
                if time.perf_counter() - started > parse_timeout_s:
                    raise PayloadTooLarge(
                        f"reading the PDF's text took more than {parse_timeout_s:g} s "
                        f"(stopped at page {index + 1} of {count}); split it into smaller files",
                        code="pdf_too_slow",
                    )
            title = _title(document)
        finally:
            document.close()
    letters = sum(sum(ch.isalnum() for ch in page) for page in pages)
    if letters < MIN_TEXT_CHARS_PER_DOC:
        raise PdfRejected(
            "the PDF has no text layer (scanned or image-only pages); run OCR on it first and upload the result",
            code="pdf_no_text",
        )
    return PdfPages(pages=pages, title=title, chars=chars, parse_s=round(time.perf_counter() - started, 4))
