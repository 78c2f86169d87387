"""`finscribe up --demo` (`make demo`): the stack on the recorded real data, clearly labelled.

The data services answer from the replays of the development test kit (`testkit/`,
the servers the full-stack tests use), imported only here and started on loopback ports;
the orchestrator writes with the data-only writer, or with a local LLM when
`LOCAL_LLM_BASE_URL` is set; every result is labelled (`finscribe_common.demo.label`).
Demo mode refuses to start when real credentials are configured (in the environment or in
`.env`, which the services would read) or on an address other than loopback: demo data
must never sit beside live data or leave the machine.
"""

import contextlib
import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from finscribe_common.demo import provenance
from finscribe_common.demo.label import DEMO_NOTICE
from finscribe_common.demo.provenance import Recording
from finscribe_common.demo.replays import KIT, DemoKitMissing, DemoReplay, Holding, import_kit, load_demo_replays
from finscribe_common.settings import is_loopback

# Real upstream and provider credentials: with any of them set, output could be taken
# for live data (or demo prompts spend a real key), so demo mode will not start.
REAL_CREDENTIALS: dict[str, str] = {
    "DART_API_KEY": "Open DART API key",
    "KRX_ID": "KRX member login",
    "KRX_PW": "KRX member password",
    "OPENAI_API_KEY": "OpenAI API key",
    "RUNPOD_API_KEY": "RunPod API key",
    "EMBEDDINGS_API_KEY": "embeddings API key",
}
UPSTREAM_OVERRIDES = "FINSCRIBE_UPSTREAM_OVERRIDES"
# the service whose readiness (its embedding model loaded) the banner waits for
WARM_BEFORE_BANNER = "rag"
# the as-of date of the Samsung suggestion: after the 2024 half-year report was filed (2024-08-14)
SAMSUNG_AS_OF = dt.date(2024, 9, 30)


class DemoRefused(Exception):
    """Demo mode must not start; the message says why and what to do."""


def refusals(host: str, environ: Mapping[str, str], dotenv: Mapping[str, str | None]) -> list[str]:
    """Why demo mode must not start here (empty when it may)."""
    reasons = []
    if not is_loopback(host):
        reasons.append(f"demo mode serves recorded data with dev auth and binds loopback only; refusing --host {host}")
    for name, what in REAL_CREDENTIALS.items():
        where = [label for label, values in (("the environment", environ), (".env", dotenv)) if values.get(name)]
        if where:
            reasons.append(f"{name} ({what}) is set in {' and '.join(where)}")
    return reasons


def without_replay_credentials(environ: Mapping[str, str]) -> dict[str, str]:
    """The environment less the stand-in credentials the demo's own replays hand their
    services (`finscribe up --demo` sets them so the services reach the loopback replays);
    a credential with any other value is a real one and still refuses demo mode."""
    if not any(environ.get(name) for name in REAL_CREDENTIALS):
        return dict(environ)
    own: dict[str, str] = {}
    try:
        replays = load_demo_replays()
    except DemoKitMissing:
        # without the kit there are no replays to have handed out stand-ins: every credential is real
        return dict(environ)
    for replay in replays:
        own.update(replay.environment("http://127.0.0.1"))
    return {k: v for k, v in environ.items() if not (k in REAL_CREDENTIALS and own.get(k) == v)}


def check_can_start(host: str, environ: Mapping[str, str], dotenv_path: Path = Path(".env")) -> None:
    """Raise DemoRefused with one clear message when demo mode must not start."""
    dotenv: Mapping[str, str | None] = {}
    if dotenv_path.is_file():
        from dotenv import dotenv_values  # pydantic-settings' own .env reader

        dotenv = dotenv_values(dotenv_path)
    reasons = refusals(host, environ, dotenv)
    if not reasons:
        return
    credentials = any(not r.startswith("demo mode serves") for r in reasons)
    advice = (
        "Demo mode runs on recorded data only and will not start with real credentials configured: "
        "unset them (or move .env aside) for `make demo`, or use `make run` to work with live data."
        if credentials
        else "Run `make demo` on loopback (the default, 127.0.0.1)."
    )
    raise DemoRefused("finscribe up --demo: " + "; ".join(reasons) + ". " + advice)


@dataclass
class DemoData:
    env: dict[str, str]
    holdings: list[Holding]
    as_of: dt.date


def _priced_companies(holdings: list[Holding]) -> dict[str, list[Holding]]:
    """The price series of each company with filings, by its stock code (any source: the
    KRX-shaped replay of Yahoo closes counts as the Yahoo Finance it is)."""
    filed = {h.code for h in holdings if h.kind == "filing"}
    priced: dict[str, list[Holding]] = defaultdict(list)
    for h in holdings:
        if h.kind == "prices" and _korean_code(h.code) in filed:
            priced[_korean_code(h.code)].append(h)
    return priced


def default_as_of(holdings: list[Holding]) -> dt.date:
    """The last recorded trading day of a filing company's prices: prices, statements and
    filings are all as of then. Without recorded prices, the newest recorded filing."""
    prices = [h.last for series in _priced_companies(holdings).values() for h in series]
    if prices:
        return max(prices)
    filings = [h.last for h in holdings if h.kind == "filing"]
    return max(filings) if filings else dt.date.today()


def start_replays(stack: contextlib.ExitStack, replays: list[DemoReplay] | None = None) -> DemoData:
    """Serve every data service's replay on a loopback port (stopped when `stack` closes).

    DemoKitMissing when the test kit is not installed."""
    serve_in_thread = import_kit(f"{KIT}.common.server").serve_in_thread

    env: dict[str, str] = {}
    overrides: list[str] = []
    holdings: list[Holding] = []
    recordings: list[Recording] = []
    for replay in replays if replays is not None else load_demo_replays():
        recordings.extend(replay.recordings)
        base_url = stack.enter_context(serve_in_thread(replay.app, host="127.0.0.1"))
        for name, value in replay.environment(base_url).items():
            if name == UPSTREAM_OVERRIDES:
                overrides.append(value)
            else:
                env[name] = value
        holdings.extend(replay.holdings)
    env[UPSTREAM_OVERRIDES] = ",".join(overrides)
    as_of = default_as_of(holdings)
    env["FINSCRIBE_DEMO"] = "1"
    env[provenance.ENV] = provenance.encode(recordings)
    # what a demo run about another company is refused with (the orchestrator's `not_in_demo`)
    env["FINSCRIBE_DEMO_COMPANIES"] = ", ".join(
        dict.fromkeys(f"{h.name} ({h.code})" for h in holdings if h.kind == "filing")
    )
    env["ORCH_DEFAULT_AS_OF"] = as_of.isoformat()
    return DemoData(env=env, holdings=holdings, as_of=as_of)


def demo_environment(base: dict[str, str], data: DemoData, data_dir: Path) -> dict[str, str]:
    """The children's environment: the replays' variables and demo-only state: a SQLite
    database, a Chroma directory, offline embeddings and no Redis, set outright (a blank
    value too, which beats a `.env`), so no store of a real deployment is ever used."""
    env = dict(base)
    for name in REAL_CREDENTIALS:
        env.pop(name, None)
    env.update(data.env)
    env.update(
        {
            "FINSCRIBE_DATA_DIR": str(data_dir),
            "DATABASE_URL": f"sqlite+aiosqlite:///{data_dir / 'gateway.db'}",
            "CHROMA_PATH": str(data_dir / "chroma"),
            "CHROMA_URL": "",
            "EMBEDDINGS": "use",
            "REDIS_URL": "",
            "AUTH_MODE": "dev",
        }
    )
    return env


def _period(first: dt.date, last: dt.date) -> str:
    return first.isoformat() if first == last else f"{first.isoformat()}~{last.isoformat()}"


def _korean_code(code: str) -> str:
    return code.split(".", 1)[0] if code.endswith((".KS", ".KQ")) else code


# what the banner says of a company without recorded prices (its drafts say so in the text)
NO_PRICES = "주가 없음 (초안의 주가 섹션에 '데모에 주가 데이터 없음'으로 씀)"


def holdings_lines(holdings: list[Holding]) -> list[str]:
    """What each company with DART filings has: its reports, then its price series or that it
    has none; companies with the same data share a line, those with prices first. Then every
    other series."""
    companies: dict[str, list[Holding]] = defaultdict(list)
    names: dict[str, str] = {}
    for h in holdings:
        if h.kind == "filing":
            companies[h.code].append(h)
            names[h.code] = h.name
    others: list[Holding] = []
    for h in holdings:
        if h.kind != "filing":
            code = _korean_code(h.code)
            companies.get(code, others).append(h)
    groups: dict[tuple[bool, str], list[str]] = defaultdict(list)
    for code, items in companies.items():
        filings = sorted((h for h in items if h.kind == "filing"), key=lambda h: h.last)
        reports = ", ".join(dict.fromkeys(h.what for h in filings))
        parts = [f"공시 DART {reports}"]
        # one series once: the KRX-shaped replay of Yahoo's closes and Yahoo's own are the same closes
        series = {(h.source, h.first, h.last): h for h in reversed(items) if h.kind != "filing"}
        for h in sorted(series.values(), key=lambda h: (h.first, h.source)):
            label = "지수" if h.kind == "index" else "주가"
            parts.append(f"{label} {h.source} {h.what} {_period(h.first, h.last)}")
        if not series:
            parts.append(NO_PRICES)
        groups[(not series, " · ".join(parts))].append(f"{names[code]} ({code})")
    lines = [f"{', '.join(group)}: {data}" for (_, data), group in sorted(groups.items(), key=lambda g: g[0][0])]
    by_series: dict[tuple[str, str, str, str], list[str]] = defaultdict(list)
    for h in others:
        by_series[(h.source, h.what, h.first.isoformat(), h.last.isoformat())].append(
            h.name if h.kind == "index" and h.source == "KRX" else h.code
        )
    for (source, what, first, last), codes in by_series.items():
        period = _period(dt.date.fromisoformat(first), dt.date.fromisoformat(last))
        lines.append(f"{source} {what} {period}: {', '.join(codes)}")
    return lines


def suggestions(holdings: list[Holding]) -> list[str]:
    """Commands that work on what the replays hold: each only when its data is there."""
    # by stock code: DART's corp list names KB금융지주 "KB금융"
    filed = {h.code for h in holdings if h.kind == "filing"}
    priced = set(_priced_companies(holdings))
    commands = []
    if "005930" in filed:
        commands.append(f"finscribe draft --company 삼성전자 --as-of {SAMSUNG_AS_OF.isoformat()} --out samsung.md")
    if "105560" in filed:
        commands.append("finscribe draft --company KB금융지주 --out kb.md")
    if "005930" in priced:
        commands.append('finscribe chart "삼성전자 주가 추이" --company 삼성전자 --out samsung-chart.md')
    if {"005380", "000270"} <= filed:  # a peer comparison: 현대자동차 and 기아 on the same report
        commands.append("finscribe draft --template peer_comparison --company 현대자동차 --company 기아 --out peers.md")
    return commands


DEFAULT_GATEWAY = "http://127.0.0.1:8000"  # the client's default
LOCAL_LLM_VAR = "LOCAL_LLM_BASE_URL"  # the one LLM demo mode may use (no real credential)


def banner_lines(data: DemoData, llm: str | None, gateway: str = DEFAULT_GATEWAY) -> list[str]:
    writer = f"the LLM at {llm}" if llm else "the data-only writer (no LLM configured)"
    lines = [
        f"  DEMO        {DEMO_NOTICE}: recorded real data, not live. Every output is labelled.",
        f"  as-of       {data.as_of.isoformat()} by default (the last recorded trading day)",
        f"  writer      {writer}",
        "  data        " + (holdings_lines(data.holdings) or ["(none)"])[0],
    ]
    lines += [f"              {line}" for line in holdings_lines(data.holdings)[1:]]
    commands = suggestions(data.holdings)
    if gateway != DEFAULT_GATEWAY:
        commands = [f"{command} --gateway {gateway}" for command in commands]
    if commands:
        lines.append(f"  try         .venv/bin/{commands[0]}")
        lines += [f"              .venv/bin/{command}" for command in commands[1:]]
    llm_commands = llm_suggestions(data.holdings)
    if llm_commands and gateway != DEFAULT_GATEWAY:
        llm_commands = [f"{command} --gateway {gateway}" for command in llm_commands]
    if llm_commands and llm:
        lines += [f"              .venv/bin/{command}" for command in llm_commands]
    elif llm_commands:
        # the data-only writer only fills templates: a paragraph or an answer to a question is
        # refused with llm_unavailable, so the banner says so before anyone tries
        lines.append("  needs LLM   paragraph and ask need an LLM; drafts and charts work without one. With a local")
        lines.append("              OpenAI-compatible server (Ollama, llama.cpp), restart the demo with")
        lines.append(f"              `{LOCAL_LLM_VAR}=http://127.0.0.1:11434/v1 make demo`, then:")
        lines += [f"              .venv/bin/{command}" for command in llm_commands]
    lines.append("  live data   get a DART key, KRX login and an LLM key (README.md quick start), then `make run`")
    return lines


def llm_suggestions(holdings: list[Holding]) -> list[str]:
    """The paragraph and ask commands that work on what the replays hold once an LLM is set."""
    if "005930" not in {h.code for h in holdings if h.kind == "filing"}:
        return []
    samsung = f"--company 삼성전자 --as-of {SAMSUNG_AS_OF.isoformat()}"
    return [
        f'finscribe paragraph "삼성전자 2024년 상반기 실적 요약" {samsung}',
        f'finscribe ask "삼성전자의 2024년 상반기 영업이익은?" {samsung}',
    ]
