"""Issue 15, item 6: the rag image installs only `./common` and `./services/rag`, so what
opens an AES-encrypted PDF must be among rag's *declared* dependencies, not merely present
in the development venv (where `cryptography` arrives through other packages).

Kept in its own file: the PDF extraction itself (pdf.py) belongs to issue 21.
"""

import importlib.metadata
import io

from packaging.requirements import Requirement
from pypdf import PdfReader, PdfWriter

from finscribe_testkit.common.fixtures import fixture_path


def _declared() -> dict[str, Requirement]:
    requirements = [Requirement(r) for r in importlib.metadata.requires("finscribe-rag") or []]
    return {r.name.lower(): r for r in requirements if r.marker is None or r.marker.evaluate()}


def test_rag_declares_what_opens_aes_encrypted_pdfs() -> None:
    declared = _declared()
    # pypdf reads AES only with its `crypto` extra (cryptography); pdfium has AES built in
    via_pypdf = "pypdf" in declared and (
        "crypto" in declared["pypdf"].extras or "cryptography" in declared or "pycryptodome" in declared
    )
    assert via_pypdf or "pypdfium2" in declared, sorted(declared)


def test_an_aes_permissions_only_pdf_opens_with_the_empty_password() -> None:
    """What the declaration buys: the real paper, AES-256 encrypted with an empty user
    password (as published reports are), opens and yields its text."""
    writer = PdfWriter(clone_from=PdfReader(fixture_path("ko_finance_llm_paper.pdf")))
    writer.encrypt(user_password="", owner_password="owner-secret", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    reader = PdfReader(io.BytesIO(out.getvalue()))
    assert reader.is_encrypted
    assert reader.decrypt("") != 0
    assert len(reader.pages) == 28 and reader.pages[0].extract_text().strip()
