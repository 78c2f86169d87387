"""All SQL about saved templates. Every query is scoped to the owner's `sub`."""

from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from finscribe_gateway.db.rows import TemplateRow
from finscribe_gateway.db.tables import templates


async def list_owned(conn: AsyncConnection, *, user_sub: str) -> list[TemplateRow]:
    result = await conn.execute(
        sa.select(templates).where(templates.c.user_sub == user_sub).order_by(templates.c.name, templates.c.id)
    )
    return [TemplateRow.of(r) for r in result]


async def get_owned(conn: AsyncConnection, *, user_sub: str, template_id: str) -> TemplateRow | None:
    row = (
        await conn.execute(sa.select(templates).where(templates.c.id == template_id, templates.c.user_sub == user_sub))
    ).first()
    return TemplateRow.of(row) if row is not None else None


async def count_owned(conn: AsyncConnection, *, user_sub: str) -> int:
    query = sa.select(sa.func.count()).select_from(templates).where(templates.c.user_sub == user_sub)
    return int(await conn.scalar(query) or 0)


async def insert(conn: AsyncConnection, values: dict[str, Any]) -> bool:
    """False when the user already has a template with that name."""
    try:
        async with conn.begin_nested():
            await conn.execute(sa.insert(templates).values(**values))
    except IntegrityError:
        return False
    return True


async def delete_owned(conn: AsyncConnection, *, user_sub: str, template_id: str) -> bool:
    deleted = await conn.execute(
        sa.delete(templates).where(templates.c.id == template_id, templates.c.user_sub == user_sub)
    )
    return bool(deleted.rowcount)


def as_body(row: TemplateRow) -> dict[str, Any]:
    """The stored row as the kit's template fields (`content` holds what is not a column)."""
    content = row.content if isinstance(row.content, dict) else {}
    return {"id": row.id, "name": row.name, "title": row.title, **content}


def content_of(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k not in ("name", "title")}
