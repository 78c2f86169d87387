"""The async engine for SQLite (embedded default) or MySQL/MariaDB (production)."""

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine


def create_engine(url: str) -> AsyncEngine:
    parsed = make_url(url)
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        # several tasks write at once (runs, uploads); wait for the lock instead of failing
        kwargs["connect_args"] = {"timeout": 30}
    else:
        # MySQL closes idle connections (wait_timeout); check before use and recycle early.
        # READ COMMITTED: under InnoDB's default REPEATABLE READ, "update the user, insert if
        # missing" takes gap locks, and concurrent first requests of different users
        # deadlock (1213) on each other's gaps; found by the 30-user full-stack load test.
        kwargs.update(
            pool_pre_ping=True, pool_recycle=1800, pool_size=10, max_overflow=20, isolation_level="READ COMMITTED"
        )
    engine = create_async_engine(url, **kwargs)
    if parsed.get_backend_name() == "sqlite":
        sa.event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers (GET /v1/runs) proceed while a run is being written
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
