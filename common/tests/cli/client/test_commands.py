import argparse
import io

import httpx
import pytest
from pydantic import ValidationError

from finscribe_common.cli import build_parser
from finscribe_common.cli.client.api import GatewayClient, GatewayError, error_from
from finscribe_common.cli.client.commands import demo_line, explain, run_body, save_outputs
from finscribe_common.cli.client.progress import Progress


def parse(*argv: str) -> argparse.Namespace:
    return build_parser().parse_args(list(argv))


def test_draft_body_carries_the_options():
    argv = ["draft", "--company", "삼성전자", "--length", "long", "--section", "실적", "--section", "전망"]
    body = run_body(parse(*argv))
    assert body == {
        "kind": "draft",
        "prompt": "삼성전자 기업 분석 보고서",
        "options": {
            "company": "삼성전자",
            "length": "long",
            "language": "ko",
            "sections": ["실적", "전망"],
            "review_outline": False,
        },
    }


def test_a_draft_over_several_companies_is_a_peer_comparison():
    repeated = run_body(parse("draft", "--template", "peer_comparison", "--company", "현대자동차", "--company", "기아"))
    assert repeated["prompt"] == "현대자동차·기아 비교 분석"  # its line in history names what it is
    assert repeated["options"]["companies"] == ["현대자동차", "기아"] and "company" not in repeated["options"]
    assert repeated["options"]["template"] == "peer_comparison"
    listed = run_body(parse("draft", "--companies", "삼성전자, SK하이닉스,NAVER"))
    assert listed["options"]["companies"] == ["삼성전자", "SK하이닉스", "NAVER"]
    with pytest.raises(ValidationError):  # six companies, or one twice: the contract refuses
        run_body(parse("draft", "--companies", "a,b,c,d,e,f"))
    with pytest.raises(ValidationError):
        run_body(parse("draft", "--company", "기아", "--company", "기아"))
    with pytest.raises(SystemExit):
        run_body(parse("draft", "--companies", " , "))
    with pytest.raises(SystemExit):  # one way to name them, not both
        parse("draft", "--company", "기아", "--companies", "현대차,기아")


@pytest.mark.parametrize(
    ("argv", "prompt"),
    [
        (["--template", "earnings_review", "--company", "기아"], "기아 실적 리뷰"),
        (["--template", "earnings_review", "--company", "기아", "--language", "en"], "기아 earnings review"),
        (["--companies", "현대자동차,기아", "--language", "en"], "현대자동차, 기아: peer comparison"),
        (["--company", "기아", "--language", "en"], "기아 company analysis"),
        (["--template", "u_" + "0" * 32, "--company", "기아"], "기아 보고서"),
        (["--template", "investment_memo", "--company", "기아", "직접 쓴 요청"], "직접 쓴 요청"),
    ],
)
def test_a_draft_without_a_prompt_asks_for_its_template_and_companies(argv, prompt):
    assert run_body(parse("draft", *argv))["prompt"] == prompt


@pytest.mark.parametrize(
    ("markdown", "language", "says"),
    [
        ("> Demo: written from recorded filings data (2024-2026)\n\n# Kia", "en", "[DEMO] Demo: written"),
        ("> Demo: written from recorded filings data (2024-2026)\n\n# Kia", None, "[DEMO] Demo: written"),
        ("> 데모: 기록된 공시 데이터(2024-2026)로 작성\n\n# 기아", "ko", "[DEMO] 데모: 기록된"),
        ("> 데모: 기록된 공시 데이터(2024-2026)로 작성\n\n# 기아", None, "[DEMO] 데모: 기록된"),
    ],
)
def test_the_demo_line_speaks_the_documents_language(markdown, language, says):
    line = demo_line({"demo": True, "markdown": markdown}, language)
    assert line.startswith(says), line
    assert ("데모" in line) == (language == "ko" or (language is None and "데모" in markdown))


def test_rewrite_reads_a_file(tmp_path):
    source = tmp_path / "t.txt"
    source.write_text("매출은 300조원이다.", encoding="utf-8")
    body = run_body(parse("rewrite", "--file", str(source), "--mode", "formal", "--target-chars", "200"))
    assert body["options"] == {
        "text": "매출은 300조원이다.",
        "mode": "formal",
        "target_chars": 200,
        "language": "ko",
    }


def test_rewrite_and_chart_take_the_language():
    # issue 18: every run kind in ko or en; the CLI had no --language for these two
    body = run_body(parse("rewrite", "문장", "--mode", "polish", "--language", "en"))
    assert body["options"]["language"] == "en"
    body = run_body(parse("chart", "주가", "--company", "삼성전자", "--language", "en"))
    assert body["options"] == {"company": "삼성전자", "language": "en"}


def test_paragraph_and_chart_bodies():
    assert run_body(parse("paragraph", "요약", "--no-files"))["options"] == {"use_files": False, "language": "ko"}
    file_id = "0123456789abcdef" * 2
    assert run_body(parse("chart", "주가", "--file-id", file_id))["options"] == {"file_id": file_id, "language": "ko"}
    assert run_body(parse("ask", "왜?", "--as-of", "2024-09-30"))["options"] == {
        "as_of": "2024-09-30",
        "language": "ko",
    }


def test_a_body_outside_the_run_contract_is_refused_before_sending():
    with pytest.raises(ValidationError):
        run_body(parse("chart", "주가", "--file-id", "f1"))
    with pytest.raises(ValidationError):
        run_body(parse("rewrite", "가" * 20_001))
    with pytest.raises(ValidationError):
        run_body(parse("draft", "--company", "삼성전자", *[a for i in range(13) for a in ("--section", f"s{i}")]))


def test_error_envelopes_become_clear_messages():
    response = httpx.Response(
        429,
        headers={"Retry-After": "12"},
        json={"error": {"code": "rate_limited", "message": "too many runs", "request_id": "rid"}},
    )
    error = error_from(response)
    assert explain(error, "http://g") == "rate limited: too many runs (retry in 12 s) [request rid]"
    assert "make run" in explain(GatewayError(0, "unreachable", "x"), "http://g")
    assert explain(GatewayError(503, "not_configured", "set DART_API_KEY"), "g").startswith("not configured")
    garbled = error_from(httpx.Response(502, text="<html>bad gateway</html>"))
    assert garbled.code == "http_502" and "bad gateway" in garbled.message


async def test_save_outputs_writes_markdown_and_charts_with_local_links(tmp_path):
    png = b"\x89PNG\r\n\x1a\nfake-but-bytes"

    def serve(request: httpx.Request) -> httpx.Response:
        assert request.headers["authorization"] == "Bearer t"
        return httpx.Response(200, content=png, headers={"content-type": "image/png"})

    result = {
        "markdown": "# 보고서\n\n![주가](http://g/v1/charts/abc.png)\n",
        "charts": [{"chart_id": "abc", "url": "http://g/v1/charts/abc.png", "title": "주가"}],
    }
    async with GatewayClient("http://g", "t", transport=httpx.MockTransport(serve)) as client:
        written = await save_outputs(client, result, tmp_path / "out" / "report.md")
    assert [p.name for p in written] == ["report.md", "report-chart-1.png"]
    assert (tmp_path / "out" / "report.md").read_text(encoding="utf-8") == "# 보고서\n\n![주가](report-chart-1.png)\n"
    assert (tmp_path / "out" / "report-chart-1.png").read_bytes() == png


def test_progress_without_tty_prints_finished_steps():
    stream = io.StringIO()
    progress = Progress(stream=stream)
    progress.step({"name": "fetch", "status": "started", "progress": 0.1})
    progress.step({"name": "fetch", "status": "done", "progress": 0.4})
    progress.warning({"code": "source_unavailable", "message": "dart down"})
    out = stream.getvalue()
    assert " 40% fetch done" in out and "started" not in out
    assert "warning [source_unavailable]: dart down" in out


@pytest.mark.parametrize("argv", [["draft"], ["rewrite", "--mode", "shout", "x"]])
def test_bad_arguments_exit(argv):
    with pytest.raises(SystemExit):
        parse(*argv)


def test_chart_links_replace_the_placeholder_or_are_appended():
    from finscribe_common.cli.client.commands import link_chart

    md = "# 보고서\n\n*[차트 1: 주가 추이]*\n\n끝"
    assert link_chart(md, 1, "http://g/c.png", "r-chart-1.png", "주가 추이") == (
        "# 보고서\n\n![주가 추이](r-chart-1.png)\n\n끝"
    )
    assert link_chart("본문", 2, "http://g/c.png", "r-chart-2.png", "매출") == "본문\n\n![매출](r-chart-2.png)\n"


def test_status_decides_when_the_code_is_specific():
    assert "refused the token" in explain(GatewayError(401, "token_expired", "expired"), "g")


async def test_a_chart_that_cannot_be_fetched_is_a_warning_not_a_traceback(tmp_path, capsys):
    # issue 15, item 7: an expired chart (404 envelope) and an unreachable host
    png = b"\x89PNG\r\n\x1a\nfake-but-bytes"

    def serve(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("gone.png"):
            return httpx.Response(404, json={"error": {"code": "not_found", "message": "expired", "request_id": "r"}})
        if request.url.host == "unreachable":
            raise httpx.ConnectError("connection refused", request=request)
        return httpx.Response(200, content=png, headers={"content-type": "image/png"})

    result = {
        "markdown": "# 보고서\n\n![a](http://g/v1/charts/gone.png)\n![b](http://unreachable/x.png)\n![c](http://g/c.png)\n",
        "charts": [
            {"chart_id": "gone", "url": "http://g/v1/charts/gone.png", "title": "a"},
            {"chart_id": "x", "url": "http://unreachable/x.png", "title": "b"},
            {"chart_id": "c", "url": "http://g/c.png", "title": "c"},
        ],
    }
    async with GatewayClient("http://g", "t", transport=httpx.MockTransport(serve)) as client:
        written = await save_outputs(client, result, tmp_path / "report.md")
    assert [p.name for p in written] == ["report.md", "report-chart-3.png"]
    text = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "http://g/v1/charts/gone.png" in text and "report-chart-3.png" in text
    err = capsys.readouterr().err
    assert "chart 1 could not be fetched" in err and "chart 2 could not be fetched" in err
