"""Run FinScribe services as real processes on free loopback ports (full-stack tests, benches).

    with ServiceStack(env={...}) as stack:
        stack.start("krx", "dart", ...)       # `finscribe serve NAME --port P` children
        stack.url("gateway")                  # http://127.0.0.1:P
        stack.kill("rag"); stack.restart("rag")

Every child gets FINSCRIBE_<NAME>_URL for every service, so they find each other.
"""

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

import httpx

from finscribe_common.processes import stop_processes
from finscribe_common.services import SERVICES, url_env_var
from finscribe_testkit.common.server import free_port


class ServiceStack:
    def __init__(
        self, env: dict[str, str] | None = None, log_dir: Path | None = None, ready_timeout: float = 90.0
    ) -> None:
        self.ports = {name: free_port() for name in SERVICES}
        self.extra_env = dict(env or {})
        self.log_dir = log_dir or Path(tempfile.mkdtemp(prefix="finscribe-stack-"))
        self.ready_timeout = ready_timeout
        self.procs: dict[str, subprocess.Popen[bytes]] = {}

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    def env(self, name: str, overrides: dict[str, str] | None = None) -> dict[str, str]:
        env = dict(os.environ)
        for service in SERVICES:
            env[url_env_var(service)] = self.url(service)
        env.update({"FINSCRIBE_BIND_HOST": "127.0.0.1", "PYTHONUNBUFFERED": "1"})
        env.update(self.extra_env)
        env.update(overrides or {})
        return env

    def log_path(self, name: str) -> Path:
        return self.log_dir / f"{name}.log"

    def spawn(self, name: str, overrides: dict[str, str] | None = None) -> None:
        log = self.log_path(name).open("ab")
        self.procs[name] = subprocess.Popen(
            [sys.executable, "-m", "finscribe_common.cli", "serve", name, "--port", str(self.ports[name])],
            env=self.env(name, overrides),
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def healthy(self, name: str) -> bool:
        try:
            return httpx.get(f"{self.url(name)}/healthz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    def wait_healthy(self, names: Iterable[str]) -> None:
        pending = set(names)
        deadline = time.monotonic() + self.ready_timeout
        while pending:
            for name in list(pending):
                proc = self.procs[name]
                if proc.poll() is not None:
                    raise RuntimeError(f"{name} exited with {proc.returncode}:\n{self.tail(name)}")
                if self.healthy(name):
                    pending.discard(name)
            if pending and time.monotonic() > deadline:
                raise RuntimeError(
                    f"not healthy in time: {sorted(pending)}\n" + "\n".join(self.tail(n) for n in pending)
                )
            time.sleep(0.1)

    def start(self, *names: str, overrides: dict[str, dict[str, str]] | None = None) -> None:
        names = names or tuple(SERVICES)
        for name in names:
            self.spawn(name, (overrides or {}).get(name))
        self.wait_healthy(names)

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Send `sig` to one child and wait for it (SIGKILL after 20 s of ignoring a polite one)."""
        proc = self.procs.get(name)
        if proc:
            stop_processes([proc], sig=sig, grace_s=20)

    def restart(self, name: str, overrides: dict[str, str] | None = None) -> None:
        self.kill(name, signal.SIGTERM)
        self.spawn(name, overrides)
        self.wait_healthy([name])

    def tail(self, name: str, lines: int = 40) -> str:
        try:
            text = self.log_path(name).read_text(errors="replace").splitlines()
        except OSError:
            return f"({name}: no log)"
        return f"--- {name} log ---\n" + "\n".join(text[-lines:])

    def stop(self) -> None:
        stop_processes(self.procs.values(), grace_s=15)

    def __enter__(self) -> "ServiceStack":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
