"""chart end to end: a CP949 CSV built from the real 005930 closes, and a company chart from the real services."""

import base64
import csv
import io

import httpx

from finscribe_testkit.common.fixtures import fixture_path
from finscribe_testkit.orchestrator.files import file_route_app
from finscribe_testkit.orchestrator.llm import ScriptedLLM
from finscribe_testkit.orchestrator.runner import AS_OF, completed
from finscribe_testkit.orchestrator.stack import TOKEN

CSV_ID = "c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5"
FILE_URL = f"http://gateway.test/internal/v1/files/{CSV_ID}/content"


def samsung_closes_cp949(extra_row: list[str] | None = None) -> tuple[bytes, list[tuple[str, float]]]:
    """The real recorded 2024 closes of 005930.KS, with Korean headers, encoded as CP949 (Excel's Korean CSV)."""
    with fixture_path("yahoo_005930.KS_close_2024.csv").open(encoding="utf-8") as handle:
        rows = [(r["Date"], float(r["005930"])) for r in csv.DictReader(handle)]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["일자", "종가(원)", "비고"])
    for day, close in rows:
        writer.writerow([day, f"{close:,.0f}", "삼성전자 보통주"])
    if extra_row:
        writer.writerow(extra_row)
    return out.getvalue().encode("cp949"), rows


def chart_body(runner, prompt: str) -> dict:
    body = runner.body("chart", prompt, options={"file_id": CSV_ID})
    body["files"] = [{"file_id": CSV_ID, "name": "삼성전자_종가.csv", "kind": "csv", "url": FILE_URL}]
    return body


async def test_chart_from_a_cp949_csv(runner_for, llm: ScriptedLLM) -> None:
    raw, rows = samsung_closes_cp949()
    gateway = file_route_app({CSV_ID: raw}, TOKEN)
    runner = runner_for({"gateway": httpx.ASGITransport(gateway)})
    events = await runner.post(chart_body(runner, "2024년 삼성전자 종가 추이를 선 그래프로"))
    result = completed(events)
    assert gateway.state.requests == [f"/internal/v1/files/{CSV_ID}/content"]
    load = next(d for t, d in events if t == "step" and d["name"] == "load_csv" and d["status"] == "done")
    assert "cp949" in load["detail"] and f"{len(rows)}행" in load["detail"]
    chart = result["charts"][0]
    assert base64.b64decode(chart["png_base64"]).startswith(b"\x89PNG")
    assert chart["source"]["provider"] == "upload" and chart["source"]["name"] == "삼성전자_종가.csv"
    table = chart["table"]
    assert table["rows"][0][0] == rows[0][0] and table["rows"][0][1] == round(rows[0][1])
    assert table["rows"][-1][0] == rows[-1][0]
    # the table written into the document covers the same period as the chart, sampled evenly
    block = next(b for b in result["blocks"] if b["type"] == "table")
    days = [row[0] for row in block["rows"]]
    assert len(days) == 60 and days[0] == rows[0][0] and days[-1] == rows[-1][0] and days == sorted(set(days))
    assert llm.calls["chart_spec"] == 1


async def test_csv_cells_are_data_never_code(runner_for, llm: ScriptedLLM, tmp_path) -> None:
    marker = tmp_path / "pwned"
    payload = f"__import__('pathlib').Path('{marker}').write_text('x')"
    raw, _ = samsung_closes_cp949(extra_row=["=cmd|' /C calc'!A0", payload, payload])
    runner = runner_for({"gateway": httpx.ASGITransport(file_route_app({CSV_ID: raw}, TOKEN))})
    events = await runner.post(chart_body(runner, "종가 차트"))
    result = completed(events)
    assert not marker.exists()
    assert result["charts"]


async def test_csv_url_outside_the_gateway_file_route_is_refused(runner_for) -> None:
    runner = runner_for()
    body = chart_body(runner, "차트")
    body["files"][0]["url"] = "http://169.254.169.254/latest/meta-data"
    events = await runner.post(body)
    assert events[-1][0] == "run.failed" and events[-1][1]["error"]["code"] == "file_unavailable"


async def test_company_chart_without_llm_still_renders(runner_for, llm: ScriptedLLM) -> None:
    llm.status = 503
    events = await runner_for().run("chart", "삼성전자 주가 차트", company="삼성전자", as_of=AS_OF)
    result = completed(events)
    assert any(w["code"] == "llm_unavailable" for w in result["warnings"])
    chart = result["charts"][0]
    assert chart["source"]["provider"] == "KRX"
    assert chart["table"]["rows"][-1][0] == AS_OF and chart["table"]["rows"][-1][1] == 53200


async def test_dual_axis_chart_from_the_real_us_closes_csv(runner_for, llm: ScriptedLLM) -> None:
    raw = fixture_path("yahoo_us_close_2020_2024.csv").read_bytes()
    llm.chart_spec = lambda prompt: (  # type: ignore[method-assign]
        '{"type": "dual-axis", "title": "테슬라와 나스닥", "series": ['
        '{"ref": "csv.TSLA", "label": "테슬라", "axis": "left"},'
        ' {"ref": "csv.Nasdaq", "label": "나스닥", "axis": "right"}],'
        ' "x_ref": null, "period_start": "2024-01-01", "period_end": null, "unit_left": "달러", "unit_right": "포인트"}'
    )
    runner = runner_for({"gateway": httpx.ASGITransport(file_route_app({CSV_ID: raw}, TOKEN))})
    result = completed(await runner.post(chart_body(runner, "2024년 테슬라와 나스닥 비교")))
    chart = result["charts"][0]
    assert chart["title"] == "테슬라와 나스닥"
    assert chart["table"]["columns"] == ["날짜", "테슬라 (달러)", "나스닥 (포인트)"]
    assert chart["table"]["rows"][0][0].startswith("2024-01-02")
    assert not [w for w in result["warnings"] if w["code"] == "chart_spec_fallback"]


def samsung_changes_with_korean_signs() -> tuple[bytes, list[tuple[str, float]], dict[int, str]]:
    """The real 2024 closes of 005930.KS as a trading-system export: 전일대비 with △ for a fall,
    등락률 with ▲/▼, and two cells a terminal prints instead of a number (rows 4 and 9)."""
    with fixture_path("yahoo_005930.KS_close_2024.csv").open(encoding="utf-8") as handle:
        closes = [(r["Date"], round(float(r["005930"]))) for r in csv.DictReader(handle)][:40]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["일자", "전일대비", "등락률", "종가"])
    expected: list[tuple[str, float]] = []
    bad = {4: "거래정지", 9: "n.m."}
    for i in range(1, len(closes)):
        day, close = closes[i]
        change = close - closes[i - 1][1]
        rate = change / closes[i - 1][1] * 100
        row_number = i + 1  # the header is row 1
        shown = f"△{-change:,}" if change < 0 else f"{change:,}"
        if row_number in bad:
            shown = bad[row_number]
        else:
            expected.append((day, float(change)))
        mark = "▼" if rate < 0 else "▲"
        writer.writerow([day, shown, f"{mark}{abs(rate):.2f}%", f"{close:,}"])
    return out.getvalue().encode("utf-8"), expected, bad


async def test_a_csv_with_korean_negative_signs_charts_every_row_and_names_the_cells_it_cannot_read(
    runner_for, llm: ScriptedLLM
) -> None:
    raw, expected, bad = samsung_changes_with_korean_signs()
    assert any(change < 0 for _, change in expected) and any(change > 0 for _, change in expected)
    runner = runner_for({"gateway": httpx.ASGITransport(file_route_app({CSV_ID: raw}, TOKEN))})
    events = await runner.post(chart_body(runner, "전일대비 등락을 막대로"))
    result = completed(events)
    table = result["charts"][0]["table"]
    assert table["columns"][1].startswith("전일대비")
    # every readable row is charted, △ as negative
    assert [(r[0], r[1]) for r in table["rows"]] == expected
    warning = next(w for w in result["warnings"] if w["code"] == "csv_unparsed_cells")
    assert warning["column"] == "전일대비"
    assert warning["rows"] == sorted(bad) and warning["cells"] == [bad[r] for r in sorted(bad)]
    assert "4행 '거래정지'" in warning["message"] and "9행 'n.m.'" in warning["message"]
    assert any(t == "warning" and d["code"] == "csv_unparsed_cells" for t, d in events)


async def test_an_invalid_chart_spec_falls_back_to_the_default_chart_naming_the_step(
    runner_for, llm: ScriptedLLM
) -> None:
    llm.chart_spec = lambda prompt: '{"type": "pie", "title": "x"}'  # type: ignore[method-assign]
    events = await runner_for().run("chart", "삼성전자 주가 차트", company="삼성전자", as_of=AS_OF)
    result = completed(events)
    assert llm.calls["chart_spec"] == 2  # the answer and one repair with the findings
    warning = next(w for w in result["warnings"] if w["code"] == "chart_spec_fallback")
    assert warning["step"] == "chart_spec" and "type:" in warning["message"]
    assert warning["key"] == "chart_spec_fallback"
    assert result["charts"] and result["charts"][0]["png_base64"]


async def test_a_refused_chart_spec_warns_with_the_error_sentence_key(runner_for, llm: ScriptedLLM) -> None:
    """The router refuses the chart spec (400): `chart_spec_fallback` is sent with the message key
    `chart_spec_error` (another sentence than the code's), so the panel can rebuild it."""
    from finscribe_testkit.common.fake_openai import Reply

    llm.fake.responder = lambda body: Reply(status=400, error_message="context length exceeded")
    events = await runner_for().run("chart", "삼성전자 주가 차트", company="삼성전자", as_of=AS_OF)
    result = completed(events)
    warning = next(w for w in result["warnings"] if w["code"] == "chart_spec_fallback")
    assert warning["key"] == "chart_spec_error" and "400" in warning["params"]["error"]
    assert warning["message"].startswith("차트 사양 생성 실패")
    assert result["charts"] and result["charts"][0]["png_base64"]
