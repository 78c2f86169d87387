"""`make demo` end to end: `finscribe up --demo` as a process, then every command its banner
suggests, run as a user would (the CLI, from another directory), against that stack.

Each suggested command must give a complete, cited report whose figures are the recorded
ones (checked against fixtures/real read here independently), and the demo label must be
in every output: the result JSON (CLI `--json` and the stored run), the markdown file's
first line and the CLI's own output. The times to the banner and to the cited Samsung
report are printed and written to test-artifacts/demo.json.
"""

import csv
import datetime as dt
import json
import re
import shlex
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import httpx
import pytest

from finscribe_common.demo import DEMO_NOTICE, is_labelled
from finscribe_common.processes import stop_processes
from finscribe_common.services import SERVICES
from finscribe_testkit.common.demo import free_port_offset, new_user_env
from finscribe_testkit.common.fixtures import fixture_path
from finscribe_testkit.dart.demo import recorded_holdings as dart_holdings

pytestmark = pytest.mark.fullstack

TOKEN = "dev:demo-user@example.com"
SAMSUNG_SHARES = 5_969_782_550  # KRX listed shares of 005930, constant through 2024 (krx payloads)
NOT_FETCHED = "데이터를 가져오지 못했습니다"
CLI = (sys.executable, "-m", "finscribe_common.cli")


@dataclass
class Demo:
    gateway: str
    banner: list[str]
    commands: list[list[str]]
    started: float
    banner_s: float
    workdir: Path


def _suggested(banner: list[str]) -> list[list[str]]:
    """The commands the banner says work now (its `try` block; those under `needs LLM` wait for one)."""
    commands = []
    for line in banner:
        if line.lstrip().startswith("needs LLM"):
            break
        match = re.search(r"\.venv/bin/finscribe (.+)$", line)
        if match:
            commands.append([sys.executable, "-m", "finscribe_common.cli", *shlex.split(match.group(1))])
    return commands


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    workdir = tmp_path_factory.mktemp("demo-user")
    offset = free_port_offset(32_000, 40_000)
    env = {**new_user_env(), "FINSCRIBE_DATA_DIR": str(workdir / ".finscribe")}
    started = time.monotonic()
    proc = subprocess.Popen(
        [
            *(sys.executable, "-m", "finscribe_common.cli", "up", "--demo", "--no-color"),
            *("--port-offset", str(offset), "--ready-timeout", "150"),  # 2 shared cores under load
        ],
        env=env,
        cwd=workdir,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + 150
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line.rstrip("\n"))
            if line.startswith("  stop"):
                break
        banner_s = time.monotonic() - started
        start = next((i for i, line in enumerate(lines) if "FinScribe is up in DEMO mode" in line), None)
        assert start is not None, "\n".join(lines[-40:])
        banner = lines[start:]
        # keep draining the merged log so the children never block on a full pipe
        drain = subprocess.Popen(["cat"], stdin=proc.stdout, stdout=subprocess.DEVNULL)
        gateway = f"http://127.0.0.1:{SERVICES['gateway'].port + offset}"
        yield Demo(gateway, banner, _suggested(banner), started, banner_s, workdir)
    finally:
        stop_processes([proc], grace_s=60)
        if "drain" in locals():
            drain.wait(timeout=10)


def finscribe(demo: Demo, command: list[str]) -> subprocess.CompletedProcess:
    env = {**new_user_env(), "FINSCRIBE_TOKEN": TOKEN}
    return subprocess.run(command, env=env, cwd=demo.workdir, capture_output=True, text=True, timeout=240)


def stored_results(demo: Demo) -> list[dict]:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    with httpx.Client(base_url=demo.gateway, headers=headers, timeout=30) as client:
        session = client.post("/v1/sessions", json={"doc_id": "cli"}).json()["session_id"]
        runs = client.get(f"/v1/sessions/{session}/runs").json()["items"]
        return [client.get(f"/v1/runs/{run['run_id']}").json() for run in runs]


def assert_complete_and_cited(markdown: str, result: dict) -> None:
    assert NOT_FETCHED not in markdown
    sections = re.split(r"^## ", markdown, flags=re.M)[1:]
    assert sections and all(len(s.split("\n", 1)[-1].strip()) > 0 for s in sections)
    known = {c["n"] for c in result["citations"]}
    body = markdown.split("## 출처")[0]
    cited = {int(n) for n in re.findall(r"\[(\d+)\]", body)}
    assert cited and cited <= known, (cited, known)
    assert all(c["provider"] and c["url"] for c in result["citations"])


def assert_cited_as_recorded(result: dict) -> None:
    """Every demo source names its recording date; no Yahoo close passes as KRX's; no source is
    dated by the day the demo replayed it."""
    today = dt.date.today().isoformat()
    for citation in result["citations"]:
        assert "기록 " in citation["title"] and citation["provider"] != "KRX", citation
        assert citation["as_of"] != today, citation
    for chart in result["charts"]:
        assert (chart.get("source") or {}).get("provider") != "KRX", chart


def won(value: float) -> str:
    return f"{int(Decimal(str(value)).quantize(Decimal('1'), rounding=ROUND_HALF_UP)):,}원"


def recorded_samsung_close(day: str) -> float:
    with fixture_path("yahoo_005930.KS_close_2024.csv").open(encoding="utf-8") as handle:
        return next(float(row[1]) for row in csv.reader(handle) if row[0] == day)


def recorded_samsung_revenue_h1_2024() -> int:
    path = fixture_path("dart_fnlttSinglAcntAll_00126380_2024_11012_CFS.csv")
    with path.open(encoding="utf-8") as handle:
        row = next(r for r in csv.DictReader(handle) if r["account_id"] == "ifrs-full_Revenue")
    return int(row["thstrm_add_amount"])  # half-year cumulative


def test_the_banner_lists_what_the_replays_hold_and_labels_the_mode(demo: Demo):
    text = "\n".join(demo.banner)
    assert DEMO_NOTICE in text and "not live" in text
    assert "2024-12-30 by default" in text  # the last recorded trading day
    samsung = next(line for line in demo.banner if "삼성전자 (005930): 공시 DART " in line)
    assert "반기보고서 (2024.06)" in samsung
    # the 2024 "KRX" closes are Yahoo's adjusted closes: listed as that, once
    assert "주가 Yahoo Finance 수정 종가 (KRX 시세로 재생) 2024-01-02~2024-12-30" in samsung
    assert "KRX 일별 시세 2024" not in text and samsung.count("2024-01-02~2024-12-30") == 1
    # which companies have which data: the others have no prices, and their drafts say so
    others = next(line for line in demo.banner if "KB금융 (105560)" in line)
    assert "주가 없음" in others and "SK하이닉스 (000660)" in others
    assert "data-only writer" in text
    assert "paragraph and ask need an LLM" in text and "LOCAL_LLM_BASE_URL=" in text
    names = [c[3:6] for c in demo.commands]
    assert ["draft", "--company", "삼성전자"] in names and any(c[0] == "chart" for c in names)
    # the KB금융지주 draft is suggested exactly when the DART replay holds KB's filings
    holds_kb = any(h.code == "105560" for h in dart_holdings())
    assert (["draft", "--company", "KB금융지주"] in names) == holds_kb
    # the peer comparison of the two carmakers whose filings the DART replay holds
    assert ["draft", "--template", "peer_comparison"] in names


def test_every_suggested_command_gives_a_labelled_cited_report(demo: Demo):
    timings: dict[str, float] = {"banner_s": round(demo.banner_s, 1)}
    for command in demo.commands:
        done = finscribe(demo, command)
        assert done.returncode == 0, done.stderr[-2000:]
        if "samsung.md" in command:
            timings["cited_samsung_report_s"] = round(time.monotonic() - demo.started, 1)
        assert f"[DEMO] {DEMO_NOTICE}" in done.stderr  # the CLI says it, whatever stdout is piped into
        out = demo.workdir / command[command.index("--out") + 1]
        markdown = out.read_text(encoding="utf-8")
        assert markdown.splitlines()[0] == f"> {DEMO_NOTICE}"
        assert f"wrote {out.name}" in done.stdout or f"wrote {out}" in done.stdout
        if "peers.md" in command:  # the peer comparison: one column per company, each cell cited
            assert "| 항목 | 현대차 | 기아 |" in markdown and "모든 회사 같은 기간" in markdown
        if command[3] == "chart":
            charts = sorted(demo.workdir.glob(f"{out.stem}-chart-*.png"))
            assert charts and charts[0].read_bytes().startswith(b"\x89PNG")
    stored = stored_results(demo)
    assert len(stored) == len(demo.commands)
    for run in stored:
        assert run["status"] == "completed" and is_labelled(run["result"]), run["prompt"]
        if run["kind"] == "draft":
            assert_complete_and_cited(run["result"]["markdown"], run["result"])
        assert_cited_as_recorded(run["result"])
    kb = [run["result"] for run in stored if run["kind"] == "draft" and run["result"]["title"].startswith("KB")]
    assert len(kb) == sum("kb.md" in command for command in demo.commands)
    for result in kb:  # no recorded prices: the price section says so rather than vanishing
        assert "## 주가 동향\n\n데모에는 KB금융의 주가 데이터가 없습니다" in result["markdown"]
    print("\ndemo:", json.dumps(timings))
    artifacts = Path("test-artifacts")
    artifacts.mkdir(exist_ok=True)
    (artifacts / "demo.json").write_text(json.dumps(timings, indent=2))


def test_the_samsung_report_carries_the_recorded_figures(demo: Demo):
    command = next(c for c in demo.commands if "samsung.md" in c)
    as_of = command[command.index("--as-of") + 1]
    json_command = [arg for arg in command if arg not in ("--out", "samsung.md")] + ["--json"]
    done = finscribe(demo, json_command)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout)
    assert is_labelled(result)  # the result JSON as the CLI prints it
    markdown = result["markdown"]
    assert_complete_and_cited(markdown, result)
    close = recorded_samsung_close(as_of)
    assert f"{as_of} 종가는 {won(close)}" in markdown  # 61,083원: the recorded close, rounded to the won
    market_cap = round(close) * SAMSUNG_SHARES / 10**12
    assert f"시가총액은 {market_cap:.1f}조원" in markdown
    revenue = recorded_samsung_revenue_h1_2024()
    assert f"매출액 {revenue / 10**12:.1f}조원" in markdown  # 146.0조원, Samsung's 2024 half-year report
    dart = [c for c in result["citations"] if c["provider"] == "DART" and "재무지표" in c["title"]]
    assert dart and dart[0]["url"].endswith("rcpNo=20240814003284")
    price = next(c for c in result["citations"] if "일별 주가" in c["title"])
    assert price["provider"] == "Yahoo Finance" and "수정 종가" in price["title"] and "기록 2025년 초" in price["title"]
    profile = next(c for c in result["citations"] if "기업개황" in c["title"])
    assert profile["as_of"] == "2026-02-17"  # the recording's date, not the replay's


def test_a_company_the_demo_lacks_gets_a_clear_error_and_no_report(demo: Demo):
    for company in ("LG전자", "없는회사테스트"):
        out = demo.workdir / f"unknown-{company}.md"
        done = finscribe(
            demo,
            [*CLI, "draft", "--company", company, "--out", str(out), "--gateway", demo.gateway],
        )
        assert done.returncode != 0 and "run failed: not_in_demo" in done.stderr, done.stderr[-2000:]
        assert "데모에서 고를 수 있는 회사" in done.stderr and "삼성전자 (005930)" in done.stderr
        assert not out.exists()


def test_a_second_demo_beside_the_running_one_says_what_to_do(demo: Demo):
    """`make demo` again while one runs: one clear message before anything starts."""
    offset = SERVICES["gateway"].port
    gateway_port = int(demo.gateway.rsplit(":", 1)[1])
    done = subprocess.run(
        [sys.executable, "-m", "finscribe_common.cli", "up", "--demo", "--port-offset", str(gateway_port - offset)],
        env={**new_user_env(), "FINSCRIBE_DATA_DIR": str(demo.workdir / ".finscribe")},
        cwd=demo.workdir,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr[-2000:]
    assert "another FinScribe stack is running" in done.stderr and "ports already in use" in done.stderr
    assert "Ctrl-C in its terminal" in done.stderr and "Traceback" not in done.stderr
    assert httpx.get(f"{demo.gateway}/healthz", timeout=10).status_code == 200  # the first one is untouched
