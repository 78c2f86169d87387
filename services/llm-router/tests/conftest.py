"""Fixtures: provider fakes (OpenAI protocol) and the router, each on a real loopback port."""

import contextlib
from collections.abc import Iterator

import pytest

from finscribe_testkit.common.server import free_port
from finscribe_testkit.llm_router import Stack


@pytest.fixture
def stack() -> Iterator[Stack]:
    with contextlib.ExitStack() as exits:
        yield Stack(exits)


@pytest.fixture
def dead_url() -> str:
    """A loopback URL where nothing listens (connection refused)."""
    return f"http://127.0.0.1:{free_port()}/v1"
