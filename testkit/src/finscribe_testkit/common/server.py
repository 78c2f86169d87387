"""Run servers on real loopback ports for tests and benchmarks: an ASGI app in a thread, or a process."""

import contextlib
import os
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import uvicorn
from starlette.types import ASGIApp

from finscribe_common.processes import stop_processes


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]  # (host, port) for AF_INET
        return port


class _Server(uvicorn.Server):
    def install_signal_handlers(self) -> None:  # the test runner owns signals
        pass


@contextlib.contextmanager
def serve_in_thread(app: ASGIApp, host: str = "127.0.0.1", port: int | None = None) -> Iterator[str]:
    """Yields the base URL (http://127.0.0.1:PORT) while the app serves; stops it after."""
    port = port or free_port(host)
    config = uvicorn.Config(
        app, host=host, port=port, log_config=None, access_log=False, lifespan="on", timeout_graceful_shutdown=2
    )
    server = _Server(config)
    thread = threading.Thread(target=server.run, name=f"test-server-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"test server on {host}:{port} did not start")
        time.sleep(0.02)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def wait_until_answers(url: str, process: "subprocess.Popen[bytes]", timeout: float = 60.0) -> None:
    """Poll `url` until it answers 200. RuntimeError when `process` exits first (with its exit
    code) or `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args!r:.200} exited with {process.returncode} before {url} answered")
        try:
            if httpx.get(url, timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer within {timeout:g} s")
        time.sleep(0.1)


@contextlib.contextmanager
def background_process(
    args: list[str],
    ready_url: str,
    env: dict[str, str],
    cwd: str | os.PathLike[str],
    timeout: float = 60.0,
    log: os.PathLike[str] | None = None,
) -> Iterator[int]:
    """Start a server process, wait until `ready_url` answers 200, yield its pid; stop it after
    (SIGTERM, then SIGKILL after 15 s: `finscribe_common.processes.stop_processes`).

    The one way tests and benchmarks run a server in its own process: a FinScribe service
    (`finscribe serve NAME`, its own event loop and CPU, not a thread of the measuring
    process) or a server outside FinScribe that tests run for real. `log` receives the
    process's stdout and stderr (else they are dropped); the RuntimeError of a process that
    exits or stays silent before `ready_url` answers ends with the log's last 2,000 characters."""
    with open(log, "wb") if log is not None else contextlib.nullcontext() as out:
        sink = out if out is not None else subprocess.DEVNULL
        process = subprocess.Popen(args, env=env, cwd=cwd, stdout=sink, stderr=subprocess.STDOUT)
    try:
        try:
            wait_until_answers(ready_url, process, timeout)
        except RuntimeError as exc:
            tail = Path(log).read_text(errors="replace")[-2000:] if log is not None else ""
            raise RuntimeError(f"{exc}\n{tail}".rstrip()) from None
        yield process.pid
    finally:
        stop_processes([process])
