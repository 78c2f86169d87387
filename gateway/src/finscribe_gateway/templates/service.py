"""List, save, delete and resolve report templates (built-ins from the kit, saved ones per account)."""

import uuid

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncEngine

from finscribe_common.contract.templates import ReportTemplate, TemplateBody, builtin_templates
from finscribe_common.errors import BadRequest, Conflict, NotFound
from finscribe_common.schemas import utc_now
from finscribe_gateway.auth.schemas import Principal
from finscribe_gateway.templates import repository

MAX_TEMPLATES_PER_USER = 50


class TemplateService:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def list(self, principal: Principal) -> list[ReportTemplate]:
        async with self.engine.connect() as conn:
            rows = await repository.list_owned(conn, user_sub=principal.sub)
        saved = []
        for row in rows:
            try:
                saved.append(ReportTemplate.model_validate(repository.as_body(row)))
            except ValidationError:
                continue  # a row the current rules refuse is not offered (it stays stored)
        return [*builtin_templates().values(), *saved]

    async def get(self, principal: Principal, template_id: str) -> ReportTemplate:
        """A built-in or the caller's saved template; NotFound otherwise (another user's too)."""
        builtin = builtin_templates().get(template_id)
        if builtin is not None:
            return builtin
        async with self.engine.connect() as conn:
            row = await repository.get_owned(conn, user_sub=principal.sub, template_id=template_id)
        if row is None:
            raise NotFound("template not found", code="template_not_found")
        return ReportTemplate.model_validate(repository.as_body(row))

    async def save(self, principal: Principal, body: TemplateBody) -> ReportTemplate:
        """Raises Conflict `template_exists` (same name) and BadRequest `too_many_templates`."""
        template_id = f"u_{uuid.uuid4().hex}"
        fields = body.model_dump(mode="json", exclude_none=True)
        template = ReportTemplate.model_validate({**fields, "id": template_id})
        now = utc_now(microseconds=True)
        async with self.engine.begin() as conn:
            if await repository.count_owned(conn, user_sub=principal.sub) >= MAX_TEMPLATES_PER_USER:
                raise BadRequest(
                    f"an account keeps at most {MAX_TEMPLATES_PER_USER} templates", code="too_many_templates"
                )
            stored = await repository.insert(
                conn,
                {
                    "id": template_id,
                    "user_sub": principal.sub,
                    "name": body.name,
                    "title": body.title,
                    "content": repository.content_of(fields),
                    "created_at": now,
                    "updated_at": now,
                },
            )
        if not stored:
            raise Conflict(f"a template named '{body.name}' exists already", code="template_exists")
        return template

    async def delete(self, principal: Principal, template_id: str) -> None:
        if template_id in builtin_templates():
            raise BadRequest("built-in templates cannot be deleted", code="builtin_template")
        async with self.engine.begin() as conn:
            if not await repository.delete_owned(conn, user_sub=principal.sub, template_id=template_id):
                raise NotFound("template not found", code="template_not_found")
