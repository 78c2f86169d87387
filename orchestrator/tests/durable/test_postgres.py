"""The production checkpoint store: the outline review and a continued run through
langgraph-checkpoint-postgres's AsyncPostgresSaver on a real PostgreSQL (a scratch
database per test on `TEST_POSTGRES_URL`, e.g. postgresql://postgres@127.0.0.1:5432/postgres)."""

import os
import uuid
from collections.abc import AsyncIterator

import psycopg
import pytest

from finscribe_testkit.orchestrator.llm import ScriptedLLM
from finscribe_testkit.orchestrator.runner import AS_OF, completed

SERVER = os.environ.get("TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(not SERVER, reason="TEST_POSTGRES_URL is not set")


@pytest.fixture
async def scratch_url() -> AsyncIterator[str]:
    assert SERVER is not None
    name = f"finscribe_ckpt_{uuid.uuid4().hex[:12]}"
    async with await psycopg.AsyncConnection.connect(SERVER, autocommit=True) as admin:
        await admin.execute(f'CREATE DATABASE "{name}"')
    base = SERVER.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        async with await psycopg.AsyncConnection.connect(SERVER, autocommit=True) as admin:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def test_review_and_resume_on_postgres_checkpoints(runner_for, llm: ScriptedLLM, scratch_url: str) -> None:
    first = runner_for(checkpoint_url=scratch_url)
    options = {"company": "삼성전자", "length": "short", "as_of": AS_OF, "review_outline": True}
    body = first.body("draft", "삼성전자", options=options)
    waiting = await first.post(body)
    assert [t for t, _ in waiting][-2:] == ["outline.review", "run.waiting"]
    async with await psycopg.AsyncConnection.connect(scratch_url) as conn:
        stored = await (await conn.execute("SELECT count(*) FROM checkpoints WHERE thread_id = 'run-1'")).fetchone()
    assert stored is not None and stored[0] > 0  # the waiting run lives in Postgres

    # another orchestrator process (a new app on the same store) answers the review
    second = runner_for(checkpoint_url=scratch_url)
    outline = {"sections": [{"title": "실적 및 재무"}, {"title": "결론", "instructions": "두 문장"}]}
    result = completed(await second.post({**body, "resume": {"mode": "review", "outline": outline}}))
    headings = [b["text"] for b in result["blocks"] if b["type"] == "heading" and b["level"] == 2]
    assert headings[:2] == ["실적 및 재무", "결론"]
    assert sorted(llm.section_titles) == sorted(["실적 및 재무", "결론"])
    async with await psycopg.AsyncConnection.connect(scratch_url) as conn:
        left = await (await conn.execute("SELECT count(*) FROM checkpoints WHERE thread_id = 'run-1'")).fetchone()
    assert left is not None and left[0] == 0  # a completed run keeps no checkpoints
