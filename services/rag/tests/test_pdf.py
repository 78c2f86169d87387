import pytest

from finscribe_common.errors import PayloadTooLarge, UnsupportedMediaType
from finscribe_common.testing.fixtures import fixture_path
from finscribe_rag.pdf import PdfRejected, read_pdf

MB = 1024 * 1024


def test_reads_every_page_of_the_real_paper(paper_pages: list[str]) -> None:
    assert len(paper_pages) == 28
    # Facts printed in the paper, on the page a PDF viewer shows them.
    assert "2,000억~3,400억 달러" in paper_pages[0]
    assert "SORA" in paper_pages[2]
    assert "max_steps = 60" in paper_pages[20]


def test_korean_text_has_no_replacement_characters(paper_pages: list[str]) -> None:
    text = "".join(paper_pages)
    hangul = sum("\uac00" <= ch <= "\ud7a3" for ch in text)
    assert hangul > 15_000
    assert "\ufffd" not in text


def test_font_cache_gives_the_same_text_as_plain_pypdf(short_paper: bytes) -> None:
    import io

    import pypdf

    plain = [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(short_paper)).pages]
    assert read_pdf(short_paper, max_bytes=20 * MB, max_pages=10).pages == plain


def test_rejects_encrypted(encrypted_pdf: bytes) -> None:
    with pytest.raises(PdfRejected) as caught:
        read_pdf(encrypted_pdf, max_bytes=20 * MB, max_pages=100)
    assert caught.value.code == "pdf_encrypted"


def test_rejects_image_only_with_a_reason(image_only_pdf: bytes) -> None:
    with pytest.raises(PdfRejected) as caught:
        read_pdf(image_only_pdf, max_bytes=20 * MB, max_pages=100)
    assert caught.value.code == "pdf_no_text"
    assert "no text layer" in caught.value.message


def test_rejects_corrupt(corrupt_pdf: bytes) -> None:
    with pytest.raises(PdfRejected) as caught:
        read_pdf(corrupt_pdf, max_bytes=20 * MB, max_pages=100)
    assert caught.value.code in ("pdf_corrupt", "pdf_no_text")
    assert caught.value.status_code == 422


def test_rejects_oversized_before_parsing(paper_bytes: bytes) -> None:
    with pytest.raises(PayloadTooLarge):
        read_pdf(paper_bytes, max_bytes=1 * MB, max_pages=100)


def test_rejects_too_many_pages(paper_bytes: bytes) -> None:
    with pytest.raises(PayloadTooLarge) as caught:
        read_pdf(paper_bytes, max_bytes=20 * MB, max_pages=10)
    assert caught.value.code == "too_many_pages"


def test_rejects_what_is_not_a_pdf() -> None:
    csv = fixture_path("yahoo_005930.KS_close_2024.csv").read_bytes()
    with pytest.raises(UnsupportedMediaType):
        read_pdf(csv, max_bytes=MB, max_pages=10)
