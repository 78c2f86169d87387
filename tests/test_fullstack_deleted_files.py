"""Issue 15, item 1, end to end on the real stack (real rag, MariaDB): the gateway is killed
(-9) while rag indexes a PDF; after the restart the file shows what rag holds (`indexed`),
and once deleted its passages are never cited again, even though the session then lists
no files at all (the probe that found this cited four passages of the deleted paper)."""

import contextlib
import io
import signal
import threading
import time

import httpx
import pytest
from pypdf import PdfReader, PdfWriter

pytestmark = [pytest.mark.fullstack, pytest.mark.mysql, pytest.mark.slow]

PAPER = "ko_finance_llm_paper.pdf"


def _three_times_as_long(path) -> bytes:
    """The real paper's 28 pages three times over (84 pages): rag's PDFium extraction is fast
    and 28 pages embed in about a second on an idle machine, too short a window to kill the
    gateway in reliably; three times the embedding work keeps the window open for seconds."""
    reader = PdfReader(path)
    writer = PdfWriter()
    for _ in range(3):
        for page in reader.pages:
            writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _wait(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def test_a_file_indexed_while_the_gateway_was_dead_is_reconciled_and_once_deleted_never_cited(
    api, stack, stack_env, paper_pdf, db_rows
):
    session_id = api.session("doc-killed-while-indexing")
    pdf = _three_times_as_long(paper_pdf)
    uploader = threading.Thread(
        target=lambda: _swallow(lambda: api.upload(session_id, PAPER, pdf, "application/pdf")),
        daemon=True,
    )
    uploader.start()
    rows = _wait(lambda: db_rows("SELECT id, status FROM files WHERE session_id = %s", session_id), 60, "the file row")
    file_id = rows[0]["id"]
    # the gateway sends the PDF to rag right after writing the row; rag then needs seconds
    # to embed 84 pages: kill the gateway in that window
    time.sleep(1.0)
    assert db_rows("SELECT status FROM files WHERE id = %s", file_id)[0]["status"] == "pending"
    stack.kill("gateway", signal.SIGKILL)
    uploader.join(timeout=30)
    stack.restart("gateway")

    def indexed() -> dict | None:
        items = api.request("GET", f"/v1/sessions/{session_id}/files").json()["items"]
        return items[0] if items and items[0]["status"] == "indexed" else None

    try:
        # rag embeds ~330 chunks with the default e5 model: minutes on a loaded 2-core machine
        entry = _wait(indexed, 600, "the restarted gateway to settle the file with rag")
    except AssertionError:
        raise AssertionError(stack.tail("gateway", 80) + "\n" + stack.tail("rag", 40)) from None
    assert entry["file_id"] == file_id

    assert api.request("DELETE", f"/v1/sessions/{session_id}/files/{file_id}").status_code == 204
    held = httpx.get(
        f"{stack.url('rag')}/v1/collections/{_collection(api, session_id)}",
        headers={"X-Internal-Token": stack_env["FINSCRIBE_INTERNAL_TOKEN"]},
        timeout=30,
    ).json()
    assert file_id not in {d["doc_id"] for d in held.get("documents", [])}

    outcome = api.run(session_id, "paragraph", "금융 특화 LLM 미세조정 방법을 요약해줘", {"use_files": True})
    done = outcome.of("run.completed") + outcome.of("run.failed")
    assert done, outcome.types
    result = (outcome.of("run.completed") or [{}])[0].get("result") or {}
    assert not [c for c in result.get("citations", []) if c["provider"] == "upload"]
    assert PAPER not in str(outcome.events)


def _collection(api, session_id: str) -> str:
    from finscribe_gateway.files.rag_client import collection_name

    return collection_name(api.user.sub, session_id)


def _swallow(call) -> None:
    with contextlib.suppress(httpx.HTTPError, OSError):  # the gateway is killed under this request
        call()
