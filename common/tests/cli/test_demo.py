"""`finscribe up --demo`: refusals (real credentials, non-loopback), the children's environment,
the banner's holdings and suggestions, and the replays served on loopback."""

import contextlib
import datetime as dt
import os
import shlex
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from finscribe_common.cli import build_parser, demo
from finscribe_common.demo.provenance import Recording, decode
from finscribe_common.demo.replays import DemoReplay, Holding

D = dt.date


def holding(source: str, kind: str, code: str, name: str, what: str, first: D, last: D | None = None) -> Holding:
    return Holding(source, kind, code, name, what, first, last or first)  # type: ignore[arg-type]


SAMSUNG_FILING = holding("DART", "filing", "005930", "삼성전자", "반기보고서 (2024.06)", D(2024, 8, 14))
SAMSUNG_PRICES = holding("KRX", "prices", "005930", "삼성전자", "일별 시세", D(2024, 1, 2), D(2024, 12, 30))
SAMSUNG_YAHOO = holding("Yahoo Finance", "prices", "005930.KS", "Samsung", "수정 종가", D(2024, 1, 2), D(2024, 12, 30))
KB_FILING = holding("DART", "filing", "105560", "KB금융지주", "사업보고서 (2024.12)", D(2025, 3, 12))
SK_FILING = holding("DART", "filing", "000660", "SK하이닉스", "사업보고서 (2024.12)", D(2025, 3, 19))
HYUNDAI_FILING = holding("DART", "filing", "005380", "현대자동차", "분기보고서 (2024.09)", D(2024, 10, 30))
KIA_FILING = holding("DART", "filing", "000270", "기아", "분기보고서 (2024.09)", D(2024, 10, 30))
TSLA = holding("Yahoo Finance", "prices", "TSLA", "Tesla, Inc.", "수정 종가", D(2020, 1, 2), D(2024, 12, 31))


# --- refusals ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(demo.REAL_CREDENTIALS))
def test_each_real_credential_in_the_environment_refuses(name):
    reasons = demo.refusals("127.0.0.1", {name: "real-value"}, {})
    assert len(reasons) == 1 and name in reasons[0] and "the environment" in reasons[0]


def test_a_credential_in_dotenv_refuses_too(tmp_path):
    dotenv = tmp_path / ".env"
    dotenv.write_text("LOG_LEVEL=INFO\nDART_API_KEY=0123456789abcdef0123456789abcdef01234567\n", encoding="utf-8")
    with pytest.raises(demo.DemoRefused) as refused:
        demo.check_can_start("127.0.0.1", {}, dotenv)
    message = str(refused.value)
    assert "DART_API_KEY (Open DART API key) is set in .env" in message
    assert "make run" in message and "0123456789abcdef" not in message  # never echoes the secret


def test_an_empty_credential_does_not_count(tmp_path):
    dotenv = tmp_path / ".env"
    dotenv.write_text("OPENAI_API_KEY=\n", encoding="utf-8")
    demo.check_can_start("127.0.0.1", {"KRX_ID": ""}, dotenv)


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.0.10", "example.com", "::"])
def test_a_non_loopback_host_refuses(host):
    with pytest.raises(demo.DemoRefused) as refused:
        demo.check_can_start(host, {}, Path("/nonexistent/.env"))
    assert f"refusing --host {host}" in str(refused.value) and "loopback" in str(refused.value)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1"])
def test_loopback_without_credentials_may_start(host):
    demo.check_can_start(host, {"LOCAL_LLM_BASE_URL": "http://127.0.0.1:8080/v1"}, Path("/nonexistent/.env"))


def _clean_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in demo.REAL_CREDENTIALS and not k.startswith("FINSCRIBE_")}
    env["FINSCRIBE_DATA_DIR"] = str(tmp_path / "data")
    return env


@pytest.mark.parametrize(
    ("extra", "args", "expected"),
    [
        ({"OPENAI_API_KEY": "sk-real"}, [], "OPENAI_API_KEY (OpenAI API key) is set in the environment"),
        ({"KRX_ID": "me", "KRX_PW": "pw"}, [], "KRX_ID (KRX member login)"),
        ({}, ["--host", "0.0.0.0"], "refusing --host 0.0.0.0"),
    ],
)
def test_up_demo_refuses_before_starting_anything(tmp_path, extra, args, expected):
    done = subprocess.run(
        [sys.executable, "-m", "finscribe_common.cli", "up", "--demo", "--port-offset", "31700", *args],
        env={**_clean_env(tmp_path), **extra},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert expected in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "data").exists()  # no database, no directory: nothing started


# What an image has: the services without the development test kit. The finder answers for
# the kit exactly as Python does for a package that is not installed.
_WITHOUT_KIT = """
import sys

class NotInstalled:
    def find_spec(self, name, path=None, target=None):
        if name == "finscribe_testkit":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)

sys.meta_path.insert(0, NotInstalled())
from finscribe_common.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _without_kit(tmp_path: Path, args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _WITHOUT_KIT, *args], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60
    )


def test_up_demo_without_the_test_kit_says_so_and_exits_3(tmp_path):
    done = _without_kit(tmp_path, ["up", "--demo", "--port-offset", "31800"], _clean_env(tmp_path))
    assert done.returncode == 3, done.stderr
    assert "development test kit (finscribe_testkit)" in done.stderr and "make install" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "data").exists()  # nothing started


def test_a_demo_service_without_the_test_kit_takes_every_credential_for_a_real_one(tmp_path):
    """The replay's own stand-in DART key passes only where the replay that hands it out exists."""
    from finscribe_testkit.dart import REPLAY_API_KEY

    env = {**_clean_env(tmp_path), "FINSCRIBE_DEMO": "1", "DART_API_KEY": REPLAY_API_KEY}
    done = _without_kit(tmp_path, ["serve", "dart", "--port", "1"], env)
    assert done.returncode == 2, done.stderr
    assert "DART_API_KEY (Open DART API key) is set in the environment" in done.stderr


def test_an_import_error_inside_an_installed_kit_is_not_reported_as_a_missing_kit(monkeypatch):
    from finscribe_common.demo import replays

    monkeypatch.setitem(sys.modules, "responses", None)  # a third-party package the kit needs
    for name in [m for m in sys.modules if m.startswith("finscribe_testkit.krx")]:
        monkeypatch.delitem(sys.modules, name)
    with pytest.raises(ImportError) as raised:
        replays.load_demo_replays(("finscribe_testkit.krx.demo:demo_replay",))
    assert not isinstance(raised.value, replays.DemoKitMissing) and raised.value.name == "responses"


# --- environment ------------------------------------------------------------------------


def test_demo_environment_never_keeps_a_real_database_or_credentials(tmp_path):
    data = demo.DemoData(env={"FINSCRIBE_DEMO": "1", "DART_API_KEY": "f1" * 20}, holdings=[], as_of=D(2024, 12, 30))
    base = {
        "DATABASE_URL": "mysql+aiomysql://prod/finscribe",
        "CHROMA_URL": "http://chroma.internal:8000",
        "REDIS_URL": "redis://cache.internal:6379/0",
        "EMBEDDINGS": "openai:text-embedding-3-small",
        "OPENAI_API_KEY": "sk-real",
        "AUTH_MODE": "google",
        "LOCAL_LLM_BASE_URL": "http://127.0.0.1:8080/v1",
    }
    env = demo.demo_environment(base, data, tmp_path / "demo")
    assert env["DATABASE_URL"] == f"sqlite+aiosqlite:///{tmp_path / 'demo' / 'gateway.db'}"
    assert env["CHROMA_PATH"] == str(tmp_path / "demo" / "chroma") and env["CHROMA_URL"] == ""
    assert env["REDIS_URL"] == "" and env["EMBEDDINGS"] == "use"  # blank: beats a .env, means "none"
    assert "OPENAI_API_KEY" not in env and env["DART_API_KEY"] == "f1" * 20
    assert env["AUTH_MODE"] == "dev" and env["FINSCRIBE_DEMO"] == "1"
    assert env["LOCAL_LLM_BASE_URL"] == "http://127.0.0.1:8080/v1"  # a local LLM may write the demo


def test_replays_are_served_on_loopback_and_their_overrides_joined():
    def app(text: str) -> Starlette:
        return Starlette(routes=[Route("/{path:path}", lambda request: PlainTextResponse(text))])

    replays = [
        DemoReplay("krx", app("krx"), lambda url: {"FINSCRIBE_UPSTREAM_OVERRIDES": f"data.krx.co.kr={url}"}),
        DemoReplay(
            "dart",
            app("dart"),
            lambda url: {"FINSCRIBE_UPSTREAM_OVERRIDES": f"opendart.fss.or.kr={url}", "DART_API_KEY": "f1" * 20},
            (SAMSUNG_FILING, SAMSUNG_PRICES),
        ),
    ]
    with contextlib.ExitStack() as stack:
        data = demo.start_replays(stack, replays)
        overrides = dict(item.split("=", 1) for item in data.env["FINSCRIBE_UPSTREAM_OVERRIDES"].split(","))
        assert set(overrides) == {"data.krx.co.kr", "opendart.fss.or.kr"}
        for host, text in (("data.krx.co.kr", "krx"), ("opendart.fss.or.kr", "dart")):
            assert overrides[host].startswith("http://127.0.0.1:")
            assert httpx.get(overrides[host] + "/anything").text == text
        assert data.env["FINSCRIBE_DEMO"] == "1" and data.env["ORCH_DEFAULT_AS_OF"] == "2024-12-30"
        assert data.env["DART_API_KEY"] == "f1" * 20
    with pytest.raises(httpx.ConnectError):  # stopped with the stack
        httpx.get(overrides["data.krx.co.kr"] + "/anything", timeout=2)


# --- banner ---------------------------------------------------------------------------


def test_default_as_of_is_the_last_recorded_krx_day():
    assert demo.default_as_of([SAMSUNG_FILING, SAMSUNG_PRICES, TSLA]) == D(2024, 12, 30)
    assert demo.default_as_of([SAMSUNG_FILING, KB_FILING]) == D(2025, 3, 12)  # no prices: newest filing


def test_holdings_lines_say_which_company_has_which_data():
    lines = demo.holdings_lines([SAMSUNG_FILING, SAMSUNG_PRICES, SAMSUNG_YAHOO, KB_FILING, SK_FILING, TSLA])
    assert lines[0] == (
        "삼성전자 (005930): 공시 DART 반기보고서 (2024.06) · 주가 KRX 일별 시세 2024-01-02~2024-12-30"
        " · 주가 Yahoo Finance 수정 종가 2024-01-02~2024-12-30"
    )
    # companies without prices: said, and those with the same data share a line
    assert lines[1] == f"KB금융지주 (105560), SK하이닉스 (000660): 공시 DART 사업보고서 (2024.12) · {demo.NO_PRICES}"
    assert "주가 없음" in demo.NO_PRICES
    assert lines[2] == "Yahoo Finance 수정 종가 2020-01-02~2024-12-31: TSLA"


def test_one_series_replayed_twice_is_listed_once_as_what_it_is():
    """The KRX replay serves Yahoo's 005930.KS closes in KRX's shape: one Yahoo series, not a KRX one."""
    replayed = holding(
        "Yahoo Finance", "prices", "005930", "삼성전자", "수정 종가 (KRX 시세로 재생)", D(2024, 1, 2), D(2024, 12, 30)
    )
    lines = demo.holdings_lines([SAMSUNG_FILING, replayed, SAMSUNG_YAHOO])
    assert lines == [
        "삼성전자 (005930): 공시 DART 반기보고서 (2024.06)"
        " · 주가 Yahoo Finance 수정 종가 (KRX 시세로 재생) 2024-01-02~2024-12-30"
    ]
    assert demo.default_as_of([SAMSUNG_FILING, replayed, TSLA]) == D(2024, 12, 30)  # not TSLA's 12-31
    assert 'finscribe chart "삼성전자 주가 추이"' in " ".join(demo.suggestions([SAMSUNG_FILING, replayed]))


def test_start_replays_hands_the_orchestrator_the_recordings_and_the_companies():
    recording = Recording("KRX", "ohlcv", recorded="2025년 초", shown_as="Yahoo Finance")
    replay = DemoReplay("dart", Starlette(), lambda url: {}, (SAMSUNG_FILING, KB_FILING), (recording,))
    with contextlib.ExitStack() as stack:
        data = demo.start_replays(stack, [replay])
    assert decode(data.env["FINSCRIBE_DEMO_RECORDINGS"]) == (recording,)
    assert data.env["FINSCRIBE_DEMO_COMPANIES"] == "삼성전자 (005930), KB금융지주 (105560)"


def test_suggestions_follow_what_the_replays_hold():
    without_kb = demo.suggestions([SAMSUNG_FILING, SAMSUNG_PRICES])
    assert without_kb == [
        "finscribe draft --company 삼성전자 --as-of 2024-09-30 --out samsung.md",
        'finscribe chart "삼성전자 주가 추이" --company 삼성전자 --out samsung-chart.md',
    ]
    with_kb = demo.suggestions([SAMSUNG_FILING, SAMSUNG_PRICES, KB_FILING])
    assert "finscribe draft --company KB금융지주 --out kb.md" in with_kb and len(with_kb) == 3
    assert demo.suggestions([TSLA]) == []
    peers = "finscribe draft --template peer_comparison --company 현대자동차 --company 기아 --out peers.md"
    assert peers in demo.suggestions([HYUNDAI_FILING, KIA_FILING])
    assert peers not in demo.suggestions([HYUNDAI_FILING])  # one of the pair is no comparison


def test_banner_names_the_label_the_as_of_and_the_gateway():
    data = demo.DemoData(env={}, holdings=[SAMSUNG_FILING, SAMSUNG_PRICES], as_of=D(2024, 12, 30))
    text = "\n".join(demo.banner_lines(data, None, "http://127.0.0.1:39000"))
    assert "데모: 기록된 공시 데이터(2024-2026)로 작성" in text and "not live" in text
    assert "2024-12-30 by default" in text and "data-only writer" in text
    assert "--out samsung.md --gateway http://127.0.0.1:39000" in text
    local = "\n".join(demo.banner_lines(data, "http://127.0.0.1:8080/v1"))
    assert "the LLM at http://127.0.0.1:8080/v1" in local and "--gateway" not in local


def test_banner_says_paragraph_and_ask_need_an_llm_and_how_to_run_them():
    data = demo.DemoData(env={}, holdings=[SAMSUNG_FILING, SAMSUNG_PRICES], as_of=D(2024, 12, 30))
    text = "\n".join(demo.banner_lines(data, None))
    assert "paragraph and ask need an LLM; drafts and charts work without one" in text
    assert "LOCAL_LLM_BASE_URL=http://127.0.0.1:11434/v1 make demo" in text
    commands = [line.strip().removeprefix(".venv/bin/") for line in text.splitlines() if "finscribe " in line]
    paragraph = next(c for c in commands if c.startswith("finscribe paragraph"))
    ask = next(c for c in commands if c.startswith("finscribe ask"))
    for command in (paragraph, ask):  # each parses as the CLI's own command
        args = build_parser().parse_args(shlex.split(command)[1:])
        assert args.company == "삼성전자" and args.as_of == "2024-09-30"
    with_llm = "\n".join(demo.banner_lines(data, "http://127.0.0.1:8080/v1"))
    assert "need an LLM" not in with_llm and paragraph in with_llm and ask in with_llm


def test_serve_with_finscribe_demo_refuses_a_real_credential(tmp_path):
    """`FINSCRIBE_DEMO=1 finscribe serve dart` with a DART key would serve live data labelled as recorded."""
    env = {k: v for k, v in os.environ.items() if k not in demo.REAL_CREDENTIALS}
    env.update(FINSCRIBE_DEMO="1", DART_API_KEY="x", FINSCRIBE_DATA_DIR=str(tmp_path))
    done = subprocess.run(
        [sys.executable, "-m", "finscribe_common.cli", "serve", "dart", "--port", "1"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    expected = "finscribe serve dart (FINSCRIBE_DEMO): DART_API_KEY (Open DART API key) is set in the environment"
    assert expected in done.stderr


def test_the_replays_own_stand_in_credentials_do_not_refuse_a_demo_service():
    """`up --demo` hands each child the replay's own key (never a real one); only those pass."""
    own: dict[str, str] = {}
    for replay in demo.load_demo_replays():
        own.update(replay.environment("http://127.0.0.1"))
    stand_ins = {k: v for k, v in own.items() if k in demo.REAL_CREDENTIALS}
    assert stand_ins, "the replays hand their services stand-in credentials"
    assert demo.refusals("127.0.0.1", demo.without_replay_credentials(stand_ins), {}) == []
    real = {**stand_ins, "DART_API_KEY": "a-real-looking-key"}
    assert demo.refusals("127.0.0.1", demo.without_replay_credentials(real), {}) == [
        "DART_API_KEY (Open DART API key) is set in the environment"
    ]
