"""MySQL restarted while a draft runs: the result is stored once MySQL is back, or the run is
marked failed with a clear error; it is never lost silently or left `running`."""

import time
from collections.abc import Iterator

import pytest

from finscribe_testkit.common.mysql import MySQLUnavailable, PrivateMariaDB, scratch_database

pytestmark = [pytest.mark.fullstack, pytest.mark.mysql, pytest.mark.slow]

DRAFT = {"company": "삼성전자", "length": "short", "language": "ko", "as_of": "2024-12-30"}


@pytest.fixture
def restartable_mysql() -> Iterator[PrivateMariaDB]:
    try:
        server = PrivateMariaDB()
    except MySQLUnavailable as exc:
        pytest.skip(str(exc))
    server.start()
    try:
        yield server
    finally:
        server.close()


def test_mysql_restart_mid_run_never_loses_the_run(
    api, stack, slow_llm, background_run, finished_run, restartable_mysql
):
    with scratch_database(restartable_mysql.url) as database_url:
        stack.restart("gateway", overrides={"DATABASE_URL": database_url})
        try:
            session_id = api.session("doc-mysql-restart")
            run = background_run(api, session_id, "draft", "삼성전자 보고서", DRAFT)
            started = run.wait_for("run.started")
            run.wait_for("step")
            restartable_mysql.stop()
            time.sleep(3)
            restartable_mysql.start()
            outcome = run.join(timeout=240)
            stored = finished_run(api, started["run_id"], timeout=180)
            assert stored["status"] in ("completed", "failed")
            if stored["status"] == "completed":
                assert "53,200원" in stored["result"]["markdown"]
                assert outcome.types[-1] == "run.completed"
            else:
                assert stored["error"]["code"] and stored["error"]["message"]
        finally:
            stack.restart("gateway")
