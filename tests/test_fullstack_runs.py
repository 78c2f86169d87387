"""Every run kind through the real gateway, orchestrator, data services, rag and LLM router
(processes on loopback), checking results, citations, stored rows and chart URLs."""

import csv
import io
import json
import time

import httpx
import pytest

from finscribe_testkit.common.fixtures import fixture_path

pytestmark = [pytest.mark.fullstack, pytest.mark.mysql]

AS_OF = "2024-12-30"  # inside the recorded data (005930's 2024 closes, Samsung's 2024 half-year report)


def wait_for_file(api, session_id: str, file_id: str, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        files = api.request("GET", f"/v1/sessions/{session_id}/files").json()
        items = files if isinstance(files, list) else files.get("files", files.get("items", []))
        entry = next(f for f in items if f["file_id"] == file_id)
        if entry["status"] != "pending" or time.monotonic() > deadline:
            return entry
        time.sleep(0.5)


def test_draft_through_the_gateway_is_cited_stored_and_charted(api, stack, db_rows):
    session_id = api.session("doc-draft")
    outcome = api.run(
        session_id,
        "draft",
        "삼성전자 기업 분석 보고서",
        {"company": "삼성전자", "length": "short", "language": "ko", "as_of": AS_OF},
    )
    assert outcome.status_code == 200
    assert outcome.types[0] == "run.started" and outcome.types[-1] == "run.completed", outcome.failure
    assert [d["seq"] for _, d in outcome.events] == list(range(1, len(outcome.events) + 1))
    assert outcome.of("section.delta") and outcome.of("section.done")
    result = outcome.result

    # real figures, cited to real sources
    assert "53,200원" in result["markdown"]  # 005930's recorded close on 2024-12-30
    known = {c["n"] for c in result["citations"]}
    cited = {n for block in result["blocks"] for n in block.get("citations", [])}
    assert cited and cited <= known
    providers = {c["provider"] for c in result["citations"]}
    assert {"KRX", "DART"} <= providers
    # the newest report filed by 2024-12-30: the 2024 Q3 report (recorded main accounts, filed 2024-11-14)
    assert any(c["url"].endswith("rcpNo=20241114002642") for c in result["citations"])

    # charts: the gateway swapped PNG bytes for capability URLs that serve without auth
    assert result["charts"]
    for chart in result["charts"]:
        assert "png_base64" not in chart and len(chart["chart_id"]) >= 22
        png = httpx.get(chart["url"], timeout=10)
        assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
        assert png.headers["content-type"] == "image/png"

    # stored exactly as relayed, before run.completed
    fetched = api.request("GET", f"/v1/runs/{outcome.run_id}").json()
    assert fetched["status"] == "completed" and fetched["result"]["markdown"] == result["markdown"]
    rows = db_rows("SELECT kind, status, result FROM runs WHERE id = %s", outcome.run_id)
    assert len(rows) == 1
    row = rows[0]
    assert row["status"] == "completed" and row["kind"] == "draft"
    assert "53,200원" in json.loads(row["result"])["markdown"]
    history = api.request("GET", f"/v1/sessions/{session_id}/runs").json()
    listed = history if isinstance(history, list) else history.get("runs", history.get("items", []))
    assert outcome.run_id in {r["run_id"] for r in listed}


def test_paragraph_over_an_uploaded_pdf_cites_file_and_page(api, paper_pdf):
    session_id = api.session("doc-paragraph")
    upload = api.upload(session_id, "ko_finance_llm_paper.pdf", paper_pdf.read_bytes(), "application/pdf")
    assert upload.status_code in (200, 201), upload.text
    info = upload.json()
    assert info["kind"] == "pdf" and info["pages"] == 28
    entry = wait_for_file(api, session_id, info["file_id"])
    assert entry["status"] == "indexed", entry

    outcome = api.run(
        session_id, "paragraph", "금융 특화 LLM 미세조정 방법을 요약해줘", {"use_files": True, "language": "ko"}
    )
    result = outcome.result
    uploads = [c for c in result["citations"] if c["provider"] == "upload"]
    assert uploads, result["citations"]
    assert any("ko_finance_llm_paper.pdf" in c["title"] for c in uploads)
    assert any("p." in c["title"] or "쪽" in c["title"] or "page" in c["title"].lower() for c in uploads)


def test_rewrite_keeps_every_number(api):
    session_id = api.session("doc-rewrite")
    text = "삼성전자의 2024년 상반기 매출은 145조 9,839억원이며 영업이익률은 11.7%였다."
    outcome = api.run(session_id, "rewrite", "다듬어줘", {"text": text, "mode": "polish"})
    markdown = outcome.result["markdown"]
    for number in ("2024", "145조 9,839억원", "11.7%"):
        assert number in markdown


def test_market_chart_is_rendered_and_served(api):
    session_id = api.session("doc-chart")
    outcome = api.run(session_id, "chart", "삼성전자 2024년 주가 추이", {"company": "삼성전자", "as_of": AS_OF})
    charts = outcome.result["charts"]
    assert charts and charts[0]["source"]["provider"] in ("KRX", "Yahoo Finance")
    assert httpx.get(charts[0]["url"], timeout=10).content.startswith(b"\x89PNG")


def test_csv_chart_from_a_cp949_upload(api):
    # real recorded closes (Yahoo Finance via yfinance), re-encoded as a Korean spreadsheet would save them
    rows = list(csv.reader(fixture_path("yahoo_us_close_2020_2024.csv").open(encoding="utf-8")))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["날짜", "테슬라", "나스닥"])
    for row in rows[1:121]:
        writer.writerow([row[0], row[1], row[2]])
    content = out.getvalue().encode("cp949")
    session_id = api.session("doc-csv")
    upload = api.upload(session_id, "미국주식.csv", content, "text/csv")
    assert upload.status_code in (200, 201), upload.text
    assert upload.json()["kind"] == "csv" and upload.json()["rows"] == 120

    outcome = api.run(session_id, "chart", "테슬라 종가 추이를 그려줘", {"file_id": upload.json()["file_id"]})
    charts = outcome.result["charts"]
    assert charts, outcome.failure
    assert httpx.get(charts[0]["url"], timeout=10).content.startswith(b"\x89PNG")
    assert charts[0]["source"]["provider"] == "upload"
