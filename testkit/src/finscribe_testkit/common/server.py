"""Run servers on real loopback ports for tests and benchmarks: an ASGI app in a thread, or a process."""

import contextlib
import os
import socket
import subprocess
import threading
import time
from collections.abc import Iterator

import httpx
import uvicorn
from starlette.types import ASGIApp


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


@contextlib.contextmanager
def background_process(
    args: list[str],
    ready_url: str,
    env: dict[str, str],
    cwd: str | os.PathLike[str],
    timeout: float = 60.0,
    log: os.PathLike[str] | None = None,
) -> Iterator[int]:
    """Start a server process, wait until `ready_url` answers 200, yield its pid; stop it after.

    For benchmarks that must measure a service in its own process (its own event loop and
    CPU), not in a thread of the measuring one, and for servers outside FinScribe that tests
    run for real. `log` receives the process's stdout and stderr (else they are dropped).
    RuntimeError when it exits or stays silent before `ready_url` answers."""
    with open(log, "wb") if log is not None else contextlib.nullcontext() as out:
        sink = out if out is not None else subprocess.DEVNULL
        process = subprocess.Popen(args, env=env, cwd=cwd, stdout=sink, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{args[:4]} exited with {process.returncode} before {ready_url} answered")
            try:
                if httpx.get(ready_url, timeout=1.0).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{ready_url} did not answer within {timeout:g} s")
            time.sleep(0.1)
        yield process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
