"""The async engine for SQLite (embedded default) or MySQL/MariaDB (production)."""

import ssl
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

SSL_QUERY_KEYS = ("ssl_ca", "ssl_cert", "ssl_key", "ssl_check_hostname")


def _single(query: Mapping[str, str | tuple[str, ...]], name: str) -> str | None:
    """One query parameter; SQLAlchemy gives a tuple for one named more than once."""
    value = query.get(name)
    if isinstance(value, tuple):
        raise ValueError(f"the database URL names {name} more than once")
    return value


def mysql_tls(parsed: URL) -> tuple[URL, dict[str, Any]]:
    """`?ssl_ca=/path/ca.pem` (RDS) as aiomysql needs it: an SSLContext, not the dict
    SQLAlchemy's MySQL dialects build from the URL (aiomysql would fail on the dict)."""
    query = parsed.query
    if not any(key in query for key in SSL_QUERY_KEYS):
        return parsed, {}
    ca, cert, key = (_single(query, name) for name in ("ssl_ca", "ssl_cert", "ssl_key"))
    context = ssl.create_default_context(cafile=ca or None)
    if cert:
        context.load_cert_chain(cert, key or None)
    if str(query.get("ssl_check_hostname", "true")).lower() in ("false", "0", "no"):
        context.check_hostname = False
    return parsed.difference_update_query(SSL_QUERY_KEYS), {"ssl": context}


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
        parsed, connect_args = mysql_tls(parsed)
        if connect_args:
            kwargs["connect_args"] = connect_args
    engine = create_async_engine(parsed, **kwargs)
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
