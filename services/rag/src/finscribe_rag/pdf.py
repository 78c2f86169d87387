"""Read a PDF's text page by page with pypdf, and refuse what cannot be indexed.

pypdf (BSD) rather than PyMuPDF (AGPL): on the real 28-page Korean paper both give the
same text (see the README), so the licence decides. pypdf re-parses every font's
ToUnicode CMap on every page, which made that paper take ~6.5 s; `_shared_font_maps`
parses each shared font once per document (~1.3 s).
"""

import contextlib
import io
import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pypdf
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError
from pypdf.generic import DictionaryObject

from finscribe_common.errors import ApiError, PayloadTooLarge, Unprocessable, UnsupportedMediaType

logger = logging.getLogger("finscribe.rag.pdf")

PDF_MAGIC = b"%PDF-"
# A page with fewer letters than this is treated as having no text layer (scans give 0-5
# stray characters such as page numbers added by the scanner software).
MIN_TEXT_CHARS_PER_DOC = 20


@dataclass(frozen=True)
class PdfPages:
    pages: list[str]  # raw extracted text, index 0 = page 1
    title: str | None


class PdfRejected(ApiError):
    status_code = 422
    code = "invalid_pdf"


def _looks_like_pdf(data: bytes) -> bool:
    # The header may follow a little junk (the spec tolerates up to 1 KB before it).
    return PDF_MAGIC in data[:1024]


_font_cache = threading.local()


def _install_font_cache() -> Callable[..., Any] | None:
    """Wrap pypdf's per-font encoding parser with a per-document cache (a no-op if pypdf changes)."""
    try:
        from pypdf.generic import _font  # private module, guarded below
    except ImportError:  # pragma: no cover - other pypdf layouts simply run uncached
        return None
    original = getattr(_font, "get_encoding", None)
    if original is None or getattr(original, "_finscribe_cached", False):
        return original

    def cached_get_encoding(ft: DictionaryObject) -> tuple[str | dict[int, str], dict[Any, Any]]:
        cache: dict[tuple[int, int], Any] | None = getattr(_font_cache, "cache", None)
        ref = getattr(ft, "indirect_reference", None)
        if cache is None or ref is None:
            return original(ft)
        key = (ref.idnum, ref.generation)
        if key not in cache:
            cache[key] = original(ft)
        encoding, char_map = cache[key]
        # Copies: pypdf may add entries to these maps while building a Font.
        return (dict(encoding) if isinstance(encoding, dict) else encoding), dict(char_map)

    cached_get_encoding._finscribe_cached = True  # type: ignore[attr-defined]
    _font.get_encoding = cached_get_encoding
    return cached_get_encoding


_install_font_cache()


@contextlib.contextmanager
def _shared_font_maps() -> Iterator[None]:
    _font_cache.cache = {}
    try:
        yield
    finally:
        _font_cache.cache = None


def read_pdf(data: bytes, *, max_bytes: int, max_pages: int) -> PdfPages:
    """Blocking: call through run_blocking. Raises the envelope's 4xx for every refusal."""
    if len(data) > max_bytes:
        raise PayloadTooLarge(
            f"PDF is {len(data) / 1_048_576:.1f} MB; the limit is {max_bytes / 1_048_576:g} MB", code="too_large"
        )
    if not data:
        raise Unprocessable("the uploaded file is empty", code="empty_file")
    if not _looks_like_pdf(data):
        raise UnsupportedMediaType("the uploaded file is not a PDF (no %PDF- header)", code="not_a_pdf")
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            # An empty user password opens "owner-password only" PDFs, which viewers open too.
            try:
                if not reader.decrypt(""):
                    raise PdfRejected("the PDF is encrypted (password protected)", code="pdf_encrypted")
            except (FileNotDecryptedError, NotImplementedError, DependencyError) as exc:
                raise PdfRejected("the PDF is encrypted (password protected)", code="pdf_encrypted") from exc
        count = len(reader.pages)
        if count == 0:
            raise PdfRejected("the PDF has no pages", code="pdf_corrupt")
        if count > max_pages:
            raise PayloadTooLarge(f"the PDF has {count} pages; the limit is {max_pages}", code="too_many_pages")
        with _shared_font_maps():
            pages = [_page_text(page) for page in reader.pages]
        title = _title(reader)
    except ApiError:
        raise
    except FileNotDecryptedError as exc:
        raise PdfRejected("the PDF is encrypted (password protected)", code="pdf_encrypted") from exc
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as exc:
        raise PdfRejected(f"the PDF is damaged and cannot be read ({type(exc).__name__})", code="pdf_corrupt") from exc
    letters = sum(sum(ch.isalnum() for ch in page) for page in pages)
    if letters < MIN_TEXT_CHARS_PER_DOC:
        raise PdfRejected(
            "the PDF has no text layer (scanned or image-only pages); run OCR on it first and upload the result",
            code="pdf_no_text",
        )
    return PdfPages(pages=pages, title=title)


def _page_text(page: pypdf.PageObject) -> str:
    try:
        return page.extract_text() or ""
    except (KeyError, ValueError, TypeError, AttributeError, IndexError) as exc:
        # One broken page should not lose the whole document; it indexes as empty.
        logger.warning("page text extraction failed: %s", exc)
        return ""


def _title(reader: pypdf.PdfReader) -> str | None:
    try:
        meta = reader.metadata
    except (PdfReadError, ValueError, KeyError, TypeError):
        return None
    title = meta.title if meta else None
    return title.strip() if isinstance(title, str) and title.strip() else None
