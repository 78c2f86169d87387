from fastapi import APIRouter, Response

from finscribe_gateway.auth.dependencies import CurrentUser
from finscribe_gateway.state import StateDep
from finscribe_gateway.templates.schemas import ReportTemplate, TemplateBody, TemplateList

router = APIRouter(tags=["templates"])


@router.get("/v1/templates", summary="Report templates: the built-ins, then the caller's saved ones")
async def list_templates(user: CurrentUser, state: StateDep) -> TemplateList:
    return TemplateList(items=await state.template_service.list(user))


@router.get("/v1/templates/{template_id}", summary="One template (built-in or the caller's)")
async def get_template(template_id: str, user: CurrentUser, state: StateDep) -> ReportTemplate:
    return await state.template_service.get(user, template_id)


@router.post("/v1/templates", summary="Save a template for this account", status_code=201)
async def save_template(body: TemplateBody, user: CurrentUser, state: StateDep) -> ReportTemplate:
    return await state.template_service.save(user, body)


@router.delete("/v1/templates/{template_id}", summary="Delete a saved template", status_code=204)
async def delete_template(template_id: str, user: CurrentUser, state: StateDep) -> Response:
    await state.template_service.delete(user, template_id)
    return Response(status_code=204)
