"""The fuzz suite reuses the full-stack fixtures of tests/conftest.py: every service as a
real process, only the edges (KRX, DART, Yahoo, Google, the LLM providers) replaced by
the local protocol fakes described there."""

import importlib.util
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location(
    "finscribe_fullstack_conftest", Path(__file__).resolve().parent.parent / "tests" / "conftest.py"
)
assert _spec is not None and _spec.loader is not None
_fullstack = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_fullstack)

edges = _fullstack.edges
stack_env = _fullstack.stack_env
stack = _fullstack.stack
make_user = _fullstack.make_user


@pytest.fixture
def fuzz_token(edges) -> str:
    """A Google ID token (signed by the fake Google) for a fresh user."""
    return make_user(edges, "fuzz").token
