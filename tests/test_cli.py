"""The command-line client against the real stack: draft to a markdown file with its charts,
upload, history, and clear messages for error envelopes."""

import subprocess
import sys

import pytest

pytestmark = [pytest.mark.fullstack, pytest.mark.mysql]


def finscribe(*args: str, token: str, gateway: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "finscribe_common.cli", *args, "--gateway", gateway, "--token", token],
        capture_output=True,
        text=True,
        timeout=240,
        input=stdin,
    )


def test_cli_draft_writes_markdown_and_charts(stack, user, tmp_path):
    out = tmp_path / "report.md"
    done = finscribe(
        "draft",
        "--company",
        "삼성전자",
        "--length",
        "short",
        "--as-of",
        "2024-12-30",
        "--out",
        str(out),
        "--doc",
        "cli-doc",
        token=user.token,
        gateway=stack.url("gateway"),
    )
    assert done.returncode == 0, done.stderr
    markdown = out.read_text(encoding="utf-8")
    assert "53,200원" in markdown
    charts = sorted(tmp_path.glob("report-chart-*.png"))
    assert charts and all(p.read_bytes().startswith(b"\x89PNG") for p in charts)
    for chart in charts:
        assert chart.name in markdown  # links point at the files beside the report
    assert "wrote" in done.stdout

    history = finscribe("history", "--doc", "cli-doc", token=user.token, gateway=stack.url("gateway"))
    assert history.returncode == 0 and "draft" in history.stdout and "completed" in history.stdout


def test_cli_upload_and_rewrite_from_stdin(stack, user, paper_pdf):
    upload = finscribe("upload", str(paper_pdf), "--doc", "cli-up", token=user.token, gateway=stack.url("gateway"))
    assert upload.returncode == 0, upload.stderr
    assert '"kind": "pdf"' in upload.stdout and '"pages": 28' in upload.stdout
    rewrite = finscribe(
        "rewrite",
        "--mode",
        "formal",
        "--doc",
        "cli-up",
        token=user.token,
        gateway=stack.url("gateway"),
        stdin="영업이익률은 11.7%였다.",
    )
    assert rewrite.returncode == 0, rewrite.stderr
    assert "11.7%" in rewrite.stdout


def test_cli_explains_errors(stack, user):
    refused = finscribe("ask", "안녕", token="not-a-token", gateway=stack.url("gateway"))
    assert refused.returncode == 2 and "refused the token" in refused.stderr
    down = finscribe("ask", "안녕", token=user.token, gateway="http://127.0.0.1:9")
    assert down.returncode == 3 and "make run" in down.stderr
    huge = finscribe("ask", "가" * 20_000, token=user.token, gateway=stack.url("gateway"))
    assert huge.returncode == 2 and huge.stderr.strip() and "Traceback" not in huge.stderr
