"""Content checks and name sanitising, on bytes cut from the real fixtures."""

import pytest

from finscribe_common.errors import BadRequest, PayloadTooLarge, UnsupportedMediaType
from finscribe_gateway.files.validation import inspect_csv, inspect_pdf, sanitize_name, sniff_kind
from finscribe_testkit.common.fixtures import fixture_path


@pytest.mark.parametrize(
    ("raw", "kind", "expected"),
    [
        ("../../x.pdf", "pdf", "x.pdf"),
        ("..\\..\\windows\\보고서 2024.PDF", "pdf", "보고서 2024.pdf"),
        ("/etc/passwd", "csv", "passwd.csv"),
        ("....", "pdf", "upload.pdf"),
        ("", "csv", "upload.csv"),
        ("a\x00b\x1f\u202ec.csv", "csv", "abc.csv"),
        ("closes.txt", "csv", "closes.csv"),
        ("가" * 300 + ".pdf", "pdf", "가" * 196 + ".pdf"),
    ],
)
def test_sanitize_name(raw: str, kind: str, expected: str) -> None:
    assert sanitize_name(raw, kind) == expected


def test_real_pdf(tmp_path) -> None:
    info = inspect_pdf(fixture_path("ko_finance_llm_paper.pdf"), max_pages=300)
    assert info.pages == 28
    with pytest.raises(PayloadTooLarge, match="28 pages"):
        inspect_pdf(fixture_path("ko_finance_llm_paper.pdf"), max_pages=10)


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9, 0.999])
def test_truncated_pdfs(tmp_path, fraction: float) -> None:
    data = fixture_path("ko_finance_llm_paper.pdf").read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: int(len(data) * fraction)])
    with pytest.raises(BadRequest):
        inspect_pdf(path, max_pages=300)


def test_pdf_header_with_garbage_body(tmp_path) -> None:
    path = tmp_path / "fake.pdf"
    path.write_bytes(b"%PDF-1.7\n" + fixture_path("yahoo_005930.KS_close_2024.csv").read_bytes() + b"\n%%EOF\n")
    with pytest.raises(BadRequest, match=r"cannot be read|no pages"):
        inspect_pdf(path, max_pages=300)


def test_sniff_kind() -> None:
    assert sniff_kind(b"%PDF-1.4", "whatever.bin", None) == "pdf"
    assert sniff_kind(b"Date,005930", "c.csv", None) == "csv"
    assert sniff_kind(b"Date,005930", "c", "text/csv") == "csv"
    with pytest.raises(UnsupportedMediaType):
        sniff_kind(b"Date,005930", "c.pdf", None)
    with pytest.raises(UnsupportedMediaType):
        sniff_kind(b"PK\x03\x04", "book.xlsx", None)


def test_utf8_csv(tmp_path) -> None:
    info = inspect_csv(fixture_path("yahoo_us_close_2020_2024.csv"), max_rows=100_000)
    assert (info.rows, info.columns, info.encoding) == (1258, 13, "utf-8")
    with pytest.raises(PayloadTooLarge):
        inspect_csv(fixture_path("yahoo_us_close_2020_2024.csv"), max_rows=1000)


def test_cp949_csv_is_decoded(tmp_path) -> None:
    text = fixture_path("dart_fnlttSinglAcntAll_00126380_2024_11012_CFS.csv").read_text(encoding="utf-8")
    path = tmp_path / "cp949.csv"
    path.write_bytes(text.encode("cp949"))
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    info = inspect_csv(path, max_rows=100_000)
    assert info.encoding == "cp949"
    assert "자산총계" in info.utf8.decode("utf-8")
    assert info.rows == len(text.strip().splitlines()) - 1


def test_utf8_bom_csv(tmp_path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + fixture_path("yahoo_005930.KS_close_2024.csv").read_bytes())
    info = inspect_csv(path, max_rows=100_000)
    assert info.encoding == "utf-8"
    assert info.utf8.startswith(b"Date,005930")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b" \n\n", "empty"),
        (b"Date,005930\n", "no data rows"),
        (b"2024-01-02,77916.6\n", "header"),
        (b"1,2\n3,4\n", "header"),
        (b"Date,Date\n2024-01-02,1\n", "repeats"),
        (b"a,b\n\x00\x01,2\n", "binary"),
    ],
)
def test_bad_csvs(tmp_path, data: bytes, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(data)
    with pytest.raises(BadRequest, match=message):
        inspect_csv(path, max_rows=100)
