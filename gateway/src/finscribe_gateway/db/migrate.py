"""Apply the Alembic migrations programmatically at startup (SQLite and MySQL alike).

There is no separate `alembic upgrade` step to forget: every gateway process runs
`upgrade(engine)` before it serves. On MySQL a named lock serialises the gunicorn
workers that start together, so exactly one of them migrates and the rest find the
schema at head.
"""

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
_LOCK_NAME = "finscribe_gateway_migrations"
_LOCK_WAIT_S = 120


def alembic_config(connection: sa.Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def _upgrade(connection: sa.Connection) -> None:
    command.upgrade(alembic_config(connection), "head")


async def upgrade(engine: AsyncEngine) -> None:
    is_mysql = engine.dialect.name in ("mysql", "mariadb")
    async with engine.connect() as conn:
        if is_mysql:
            got = await conn.scalar(
                sa.text("SELECT GET_LOCK(:name, :wait)"), {"name": _LOCK_NAME, "wait": _LOCK_WAIT_S}
            )
            if got != 1:
                raise RuntimeError(f"could not take the migrations lock within {_LOCK_WAIT_S} s")
        try:
            await conn.run_sync(_upgrade)
            await conn.commit()
        finally:
            if is_mysql:
                await conn.execute(sa.text("SELECT RELEASE_LOCK(:name)"), {"name": _LOCK_NAME})


async def current_revision(engine: AsyncEngine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    def _read(connection: sa.Connection) -> str | None:
        return MigrationContext.configure(connection).get_current_revision()

    async with engine.connect() as conn:
        return await conn.run_sync(_read)
