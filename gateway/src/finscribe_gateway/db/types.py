"""Column types that behave the same on SQLite and MySQL/MariaDB."""

import base64
import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import mysql


def long_text() -> sa.types.TypeEngine[str]:
    # MySQL TEXT stops at 64 KB; a Korean prompt or document text can be longer.
    return sa.Text().with_variant(mysql.LONGTEXT(), "mysql", "mariadb")


def json_column() -> sa.types.TypeEngine[Any]:
    # JSON on MySQL holds up to 1 GB; MariaDB's JSON is LONGTEXT. A 10-page Korean
    # draft with blocks (>100 KB) fits either way, and SQLite stores it as TEXT.
    return sa.JSON().with_variant(mysql.JSON(), "mysql", "mariadb")


class Base64Bytes(sa.types.TypeDecorator[bytes]):
    """Bytes kept as base64 text.

    aiomysql 0.3.2 cannot bind a `bytes` parameter with PyMySQL >= 1.2.3 (TypeError
    "'str' object is not callable", aio-libs/aiomysql#1080, fix pending in #1081), so no
    query of ours binds bytes. Costs a third more space for chart PNGs, which expire.
    """

    impl = sa.Text
    cache_ok = True

    def load_dialect_impl(self, dialect: sa.Dialect) -> sa.types.TypeEngine[Any]:
        if dialect.name in ("mysql", "mariadb"):
            return dialect.type_descriptor(mysql.LONGTEXT())
        return dialect.type_descriptor(sa.Text())

    def process_bind_param(self, value: bytes | None, dialect: sa.Dialect) -> str | None:
        return base64.b64encode(value).decode("ascii") if value is not None else None

    def process_result_value(self, value: str | None, dialect: sa.Dialect) -> bytes | None:
        return base64.b64decode(value) if value is not None else None


class UtcDateTime(sa.types.TypeDecorator[dt.datetime]):
    """Stores naive UTC (MySQL DATETIME has no zone), hands back aware UTC datetimes."""

    impl = sa.DateTime
    cache_ok = True

    def load_dialect_impl(self, dialect: sa.Dialect) -> sa.types.TypeEngine[Any]:
        if dialect.name in ("mysql", "mariadb"):
            return dialect.type_descriptor(mysql.DATETIME(fsp=6))
        return dialect.type_descriptor(sa.DateTime())

    def process_bind_param(self, value: dt.datetime | None, dialect: sa.Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware UTC datetime")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: sa.Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC)
