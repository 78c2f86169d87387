"""Fixtures for the rag tests: one real rag service on a loopback port for the session,
with the real 28-page Korean paper ingested once, and bad PDFs made from that paper."""

import io
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pypdf
import pytest
from pypdf.constants import UserAccessPermissions

from finscribe_rag.main import create_app
from finscribe_rag.pdf import read_pdf
from finscribe_testkit.common.fixtures import fixture_path
from finscribe_testkit.common.server import serve_in_thread
from finscribe_testkit.rag import PAPER, PAPER_COLLECTION, PAPER_DOC, TEST_TOKEN, RagServer, test_settings


@pytest.fixture(scope="session")
def paper_bytes() -> bytes:
    return fixture_path(PAPER).read_bytes()


@pytest.fixture(scope="session")
def paper_pages(paper_bytes: bytes) -> list[str]:
    """The paper's raw page texts, parsed once for the unit tests."""
    return read_pdf(paper_bytes, max_bytes=1 << 30, max_text_chars=1 << 30, parse_timeout_s=120).pages


@pytest.fixture(scope="session")
def rag_server(tmp_path_factory: pytest.TempPathFactory, paper_bytes: bytes) -> Iterator[RagServer]:
    # USE: the API tests do not depend on the model and it embeds the paper 2.5x quicker;
    # test_eval.py measures the default model (e5) on its own server.
    yield from _paper_server(tmp_path_factory, paper_bytes, "use")


def _paper_server(tmp_path_factory: pytest.TempPathFactory, paper_bytes: bytes, embeddings: str) -> Iterator[RagServer]:
    settings = test_settings(
        tmp_path_factory.mktemp("rag"), RAG_MAX_PDF_MB=10, RAG_MAX_TEXT_CHARS=120_000, EMBEDDINGS=embeddings
    )
    with (
        serve_in_thread(create_app(settings)) as url,
        httpx.Client(base_url=url, headers={"X-Internal-Token": TEST_TOKEN}, timeout=600) as client,
    ):
        answer = client.post(
            f"/v1/collections/{PAPER_COLLECTION}/documents",
            files={"file": (PAPER, paper_bytes, "application/pdf")},
            data={"doc_id": PAPER_DOC},
        )
        assert answer.status_code == 200, answer.text
        yield RagServer(url, settings, client, answer.json())


@pytest.fixture(scope="session")
def e5_server(tmp_path_factory: pytest.TempPathFactory, paper_bytes: bytes) -> Iterator[RagServer]:
    """The paper indexed with the service's default embeddings (multilingual-e5-small)."""
    yield from _paper_server(tmp_path_factory, paper_bytes, "e5")


@pytest.fixture
def client(rag_server: RagServer) -> httpx.Client:
    return rag_server.client


@pytest.fixture(scope="session")
def eval_set() -> dict:
    return json.loads((Path(__file__).parent / "data" / "eval_ko_finance_llm_paper.json").read_text(encoding="utf-8"))


def _pages(data: bytes, count: int) -> pypdf.PdfWriter:
    reader = pypdf.PdfReader(io.BytesIO(data))
    writer = pypdf.PdfWriter()
    for page in reader.pages[:count]:
        writer.add_page(page)
    return writer


def _bytes(writer: pypdf.PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture(scope="session")
def short_paper(paper_bytes: bytes) -> bytes:
    """The paper's first three pages, as a real small PDF."""
    return _bytes(_pages(paper_bytes, 3))


@pytest.fixture(scope="session")
def encrypted_pdf(paper_bytes: bytes) -> bytes:
    """Needs a password to open (a user password is set): must be refused."""
    writer = _pages(paper_bytes, 2)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    return _bytes(writer)


@pytest.fixture(scope="session", params=["RC4-128", "AES-128", "AES-256"])
def permissions_only_pdf(request: pytest.FixtureRequest, paper_bytes: bytes) -> bytes:
    """Encrypted with an owner password only (printing/copying restrictions), as many
    filings are: every viewer opens it with the empty user password, and so must we."""
    writer = _pages(paper_bytes, 2)
    writer.encrypt(
        user_password="",
        owner_password="owner-only",
        algorithm=request.param,
        permissions_flag=UserAccessPermissions.PRINT,
    )
    return _bytes(writer)


@pytest.fixture(scope="session")
def image_only_pdf() -> bytes:
    """A PDF page that is only a picture (what a scanner produces): no text layer."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    fig = plt.figure(figsize=(4, 5))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.imshow(np.random.default_rng(7).random((50, 40)), cmap="gray")
    ax.axis("off")
    out = io.BytesIO()
    fig.savefig(out, format="pdf")
    plt.close(fig)
    return out.getvalue()


@pytest.fixture(scope="session")
def corrupt_pdf(paper_bytes: bytes) -> bytes:
    """The paper's first 40 KB: a PDF header with a body cut off mid-stream."""
    return paper_bytes[:40_000]
