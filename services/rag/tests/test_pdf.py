import ast
import importlib.metadata
import re
import subprocess
import sys
from pathlib import Path

import pytest

from finscribe_common.errors import PayloadTooLarge, UnsupportedMediaType
from finscribe_rag.pdf import PdfRejected, read_pdf
from finscribe_testkit.common.fixtures import fixture_path

MB = 1024 * 1024
LIMITS = {"max_bytes": 20 * MB, "max_text_chars": 1_000_000, "parse_timeout_s": 60.0}
PACKAGE_SRC = Path(__file__).resolve().parents[1] / "src" / "finscribe_rag"


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
    assert "\ufffe" not in text  # PDFium's line-end hyphen mark is given back as "-\n"
    assert "Text-\nto-Video" in paper_pages[2]


def test_same_words_as_pypdf_on_every_page(paper_bytes: bytes, paper_pages: list[str]) -> None:
    """PDFium's text against pypdf's (the previous extractor) on the real paper: the same
    characters on every page once white space is ignored (order may differ by column)."""
    import io

    import pypdf

    reference = [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(paper_bytes)).pages]
    for ours, theirs in zip(paper_pages, reference, strict=True):
        mine = sorted(ch for ch in ours if not ch.isspace() and ch != "-")
        other = sorted(ch for ch in theirs if not ch.isspace() and ch != "-")
        assert mine == other


def test_permissions_only_encryption_opens_with_the_empty_password(permissions_only_pdf: bytes) -> None:
    pages = read_pdf(permissions_only_pdf, **LIMITS).pages
    assert len(pages) == 2
    assert "2,000억~3,400억 달러" in pages[0]


def test_rejects_a_pdf_that_needs_a_password(encrypted_pdf: bytes) -> None:
    with pytest.raises(PdfRejected) as caught:
        read_pdf(encrypted_pdf, **LIMITS)
    assert caught.value.code == "pdf_encrypted"
    assert caught.value.status_code == 422


def test_aes_needs_no_undeclared_package(permissions_only_pdf: bytes, tmp_path: Path) -> None:
    """Decryption works with only what finscribe-rag declares: pypdf needed `cryptography`
    for AES, which the service never declared. Here the crypto packages are made
    unimportable and the AES file must still open."""
    source = tmp_path / "doc.pdf"
    source.write_bytes(permissions_only_pdf)
    script = (
        "import sys\n"
        "for name in ('cryptography', 'Crypto', 'Cryptodome', 'pypdf'):\n"
        "    sys.modules[name] = None\n"
        "from pathlib import Path\n"
        "from finscribe_rag.pdf import read_pdf\n"
        f"pages = read_pdf(Path({str(source)!r}).read_bytes(), max_bytes=1 << 30, max_text_chars=1 << 30,"
        " parse_timeout_s=60).pages\n"
        "print(len(pages), '2,000억~3,400억' in pages[0])\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["2", "True"]


def _name(requirement: str) -> str:
    return re.split(r"[\s\[<>=!~;(]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _declared(distribution: str) -> set[str]:
    """The distribution's runtime requirements and theirs (no extras): what installing it brings."""
    seen: set[str] = set()
    todo = [distribution]
    while todo:
        name = todo.pop()
        try:
            requires = importlib.metadata.requires(name) or []
        except importlib.metadata.PackageNotFoundError:
            continue
        for requirement in requires:
            if "extra ==" in requirement:
                continue
            dependency = _name(requirement)
            if dependency not in seen:
                seen.add(dependency)
                todo.append(dependency)
    return seen


def test_every_third_party_import_is_a_declared_dependency() -> None:
    direct = {_name(r) for r in importlib.metadata.requires("finscribe-rag") or [] if "extra ==" not in r}
    declared = _declared("finscribe-rag")
    providers = importlib.metadata.packages_distributions()
    missing = set()
    for path in PACKAGE_SRC.rglob("*.py"):
        if "testing" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module]
                if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module
                else []
            )
            for name in names:
                top = name.split(".")[0]
                if top in sys.stdlib_module_names or top.startswith("finscribe_"):
                    continue
                dists = {d.lower().replace("_", "-") for d in providers.get(top, [top])}
                if not dists & declared:
                    missing.add(f"{path.name}: {top}")
    assert not missing, missing
    # the extractor is a direct dependency; pypdf (and the crypto it needs for AES) is not needed
    assert "pypdfium2" in direct and "pypdf" not in direct


def test_rejects_image_only_with_a_reason(image_only_pdf: bytes) -> None:
    with pytest.raises(PdfRejected) as caught:
        read_pdf(image_only_pdf, **LIMITS)
    assert caught.value.code == "pdf_no_text"
    assert "no text layer" in caught.value.message


def test_rejects_corrupt(corrupt_pdf: bytes) -> None:
    with pytest.raises(PdfRejected) as caught:
        read_pdf(corrupt_pdf, **LIMITS)
    assert caught.value.code in ("pdf_corrupt", "pdf_no_text")
    assert caught.value.status_code == 422


def test_rejects_oversized_before_parsing(paper_bytes: bytes) -> None:
    with pytest.raises(PayloadTooLarge) as caught:
        read_pdf(paper_bytes, **{**LIMITS, "max_bytes": 1 * MB})
    assert caught.value.code == "too_large"


def test_limits_are_by_content_not_pages(paper_bytes: bytes, paper_pages: list[str]) -> None:
    total = sum(len(page) for page in paper_pages)
    assert len(read_pdf(paper_bytes, **{**LIMITS, "max_text_chars": total}).pages) == 28
    with pytest.raises(PayloadTooLarge) as caught:
        read_pdf(paper_bytes, **{**LIMITS, "max_text_chars": total // 2})
    assert caught.value.code == "too_large"
    assert "characters of text" in caught.value.message


def test_parse_deadline_stops_the_loop(paper_bytes: bytes) -> None:
    with pytest.raises(PayloadTooLarge) as caught:
        read_pdf(paper_bytes, **{**LIMITS, "parse_timeout_s": 1e-9})
    assert caught.value.code == "pdf_too_slow"
    assert "stopped at page 1 of 28" in caught.value.message


def test_rejects_what_is_not_a_pdf() -> None:
    csv = fixture_path("yahoo_005930.KS_close_2024.csv").read_bytes()
    with pytest.raises(UnsupportedMediaType):
        read_pdf(csv, **LIMITS)
