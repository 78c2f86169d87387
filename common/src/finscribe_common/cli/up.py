"""`finscribe up`: all seven services on their dev ports with local defaults.

Children share one random internal token, dev auth on loopback, SQLite and a local
Chroma directory under `.finscribe/`. Their output is merged into one colour-prefixed
log; Ctrl-C (or any child dying) stops them all. `--demo` (`make demo`): the same stack on
the recorded real data, labelled, in `.finscribe/demo/` (see `demo`).
"""

import argparse
import contextlib
import ctypes
import http.client
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import IO

from finscribe_common.cli import demo, preflight
from finscribe_common.demo.replays import DemoKitMissing
from finscribe_common.processes import stop_processes
from finscribe_common.services import SERVICES, START_ORDER, url_env_var

# `up --demo` without the development test kit (2 is a refusal: credentials or a public host)
DEMO_KIT_MISSING = 3
COLOURS = ("36", "35", "33", "32", "34", "91", "96")


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = sub.add_parser("up", help="run every service locally with embedded defaults")
    parser.add_argument("--host", default="127.0.0.1", help="bind address (loopback only for dev auth)")
    # a fresh clone's first start imports every library cold, seven services at once: on two
    # busy cores that took over 60 s (bench/demo.py); a bound for failing, not a wait
    parser.add_argument("--ready-timeout", type=float, default=180.0, help="seconds to wait for all /healthz")
    parser.add_argument("--no-color", action="store_true")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="answer from the recorded real data (no credentials needed); every output is labelled demo",
    )
    parser.add_argument(
        "--port-offset", type=int, default=0, help="add this to every dev port (a second stack beside the first, tests)"
    )
    parser.set_defaults(handler=run)


def local_environment(host: str, data_dir: Path, ports: dict[str, int] | None = None) -> dict[str, str]:
    ports = ports or {name: spec.port for name, spec in SERVICES.items()}
    env = dict(os.environ)
    env.setdefault("FINSCRIBE_DATA_DIR", str(data_dir))
    env.setdefault("FINSCRIBE_INTERNAL_TOKEN", secrets.token_urlsafe(32))
    env.setdefault("AUTH_MODE", "dev")
    env.setdefault("DATABASE_URL", f"sqlite+aiosqlite:///{data_dir / 'gateway.db'}")
    env.setdefault("CHROMA_PATH", str(data_dir / "chroma"))
    env["FINSCRIBE_BIND_HOST"] = host
    for name in SERVICES:
        env.setdefault(url_env_var(name), f"http://{host}:{ports[name]}")
    # chart URLs point at this gateway, also on offset ports
    env.setdefault("PUBLIC_BASE_URL", f"http://{host}:{ports['gateway']}")
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _load_libc() -> "ctypes.CDLL | None":
    try:
        return ctypes.CDLL("libc.so.6", use_errno=True)
    except OSError:
        return None  # not Linux: Ctrl-C and SIGTERM still stop every child


# Loaded here, in the parent: the child between fork and exec may only make plain C calls.
_LIBC = _load_libc()
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In each child: get SIGTERM when `finscribe up` dies, even by SIGKILL, so no service
    is left holding its port."""
    if _LIBC is not None:
        _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _pump(name: str, stream: IO[bytes], colour: str | None, width: int, lock: threading.Lock) -> None:
    prefix = f"{name:<{width}} | "
    if colour:
        prefix = f"\x1b[{colour}m{prefix}\x1b[0m"
    for raw in iter(stream.readline, b""):
        line = raw.decode("utf-8", errors="replace").rstrip("\n")
        with lock:
            sys.stdout.write(prefix + line + "\n")
            sys.stdout.flush()


def _healthy(host: str, port: int, path: str = "/healthz") -> bool:
    try:
        with urllib.request.urlopen(f"http://{host}:{port}{path}", timeout=1) as response:
            status: int = response.status  # an http.client.HTTPResponse for http:// URLs
            return status == 200
    except (OSError, http.client.HTTPException):
        # HTTPException: a dev port inside the ephemeral range can connect to itself while the
        # service is not listening yet, and then reads its own request back (BadStatusLine)
        return False


def _wait_ready(host: str, port: int, deadline: float) -> bool:
    while time.monotonic() < deadline:
        if _healthy(host, port, "/readyz"):
            return True
        time.sleep(0.3)
    return False


def run(args: argparse.Namespace) -> int:
    if not args.demo:
        return _run(args, None)
    try:
        demo.check_can_start(args.host, os.environ)
    except demo.DemoRefused as refused:
        print(refused, file=sys.stderr)
        return 2
    except DemoKitMissing as missing:
        print(missing, file=sys.stderr)
        return DEMO_KIT_MISSING
    with contextlib.ExitStack() as replays:
        try:
            data = demo.start_replays(replays)
        except DemoKitMissing as missing:
            print(missing, file=sys.stderr)
            return DEMO_KIT_MISSING
        return _run(args, data)


def _run(args: argparse.Namespace, demo_data: "demo.DemoData | None") -> int:
    host = args.host
    ports = {name: spec.port + args.port_offset for name, spec in SERVICES.items()}
    data_dir = Path(os.environ.get("FINSCRIBE_DATA_DIR", ".finscribe")).resolve()
    if demo_data is not None:
        data_dir = data_dir / "demo"  # never the database or vectors of live runs
    env = local_environment(host, data_dir, ports)
    if demo_data is not None:
        env = demo.demo_environment(env, demo_data, data_dir)
    # another stack still here (running, or stopping after a kill): say so before rag trips on its lock
    chroma_dir = None if env.get("CHROMA_URL") else Path(env["CHROMA_PATH"])
    problem = preflight.wait_until_free(
        host, {name: ports[name] for name in START_ORDER}, chroma_dir, say=lambda text: print(text, file=sys.stderr)
    )
    if problem is not None:
        print(problem, file=sys.stderr)
        return 2
    data_dir.mkdir(parents=True, exist_ok=True)
    use_colour = sys.stdout.isatty() and not args.no_color
    width = max(len(n) for n in START_ORDER)
    lock = threading.Lock()
    children: dict[str, subprocess.Popen[bytes]] = {}

    def stop_all() -> None:
        stop_processes(children.values(), grace_s=15)

    def on_signal(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    try:
        for index, name in enumerate(START_ORDER):
            proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "finscribe_common.cli",
                    "serve",
                    name,
                    "--host",
                    host,
                    "--port",
                    str(ports[name]),
                ],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent,
            )
            children[name] = proc
            colour = COLOURS[index % len(COLOURS)] if use_colour else None
            threading.Thread(target=_pump, args=(name, proc.stdout, colour, width, lock), daemon=True).start()

        started = time.monotonic()
        pending = set(START_ORDER)
        while pending and time.monotonic() - started < args.ready_timeout:
            for name in list(pending):
                if children[name].poll() is not None:
                    print(
                        f"finscribe up: {name} exited with code {children[name].returncode} while starting",
                        file=sys.stderr,
                    )
                    stop_all()
                    return 1
                if _healthy(host, ports[name]):
                    pending.discard(name)
            time.sleep(0.3)
        if pending:
            print(
                f"finscribe up: not healthy after {args.ready_timeout:g} s: {', '.join(sorted(pending))}",
                file=sys.stderr,
            )
            stop_all()
            return 1
        if demo_data is not None:
            # the first suggested draft should not race rag's model load (its query would time out)
            _wait_ready(host, ports[demo.WARM_BEFORE_BANNER], started + args.ready_timeout)
        with lock:
            print(_banner(host, ports["gateway"], time.monotonic() - started, demo_data, env), flush=True)
        while True:
            for name, proc in children.items():
                if proc.poll() is not None:
                    print(
                        f"finscribe up: {name} exited with code {proc.returncode}; stopping the others", file=sys.stderr
                    )
                    stop_all()
                    return 1
            time.sleep(0.5)
    except KeyboardInterrupt:
        print("\nfinscribe up: stopping…", file=sys.stderr)
        stop_all()
        return 0


def _gateway_flag(gateway: str) -> str:
    return "" if gateway == demo.DEFAULT_GATEWAY else f" --gateway {gateway}"


def _banner(
    host: str, gateway_port: int, seconds: float, demo_data: "demo.DemoData | None", env: dict[str, str]
) -> str:
    gateway = f"http://{host}:{gateway_port}"
    mode = " in DEMO mode" if demo_data is not None else ""
    client = (
        demo.banner_lines(demo_data, env.get(demo.LOCAL_LLM_VAR), gateway)
        if demo_data is not None
        else [f"  client      .venv/bin/finscribe draft --company 삼성전자 --out report.md{_gateway_flag(gateway)}"]
    )
    # the extension and the client default to the dev gateway: on another port, say so
    options = (
        f"              its options page points at {gateway} by default"
        if gateway == demo.DEFAULT_GATEWAY
        else f"              set its options page's gateway to {gateway} (it defaults to {demo.DEFAULT_GATEWAY})"
    )
    return "\n".join(
        [
            "",
            f"FinScribe is up{mode}: all {len(SERVICES)} services healthy in {seconds:.1f} s.",
            f"  gateway     {gateway}   (API docs: {gateway}/docs)",
            "              dev auth: 'Authorization: Bearer dev:you@example.com'",
            "  extension   chrome://extensions -> Developer mode -> Load unpacked -> the extension/ folder;",
            options,
            *client,
            "  stop        Ctrl-C",
            "",
        ]
    )
