from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from finscribe_gateway.auth.dependencies import CurrentUser
from finscribe_gateway.templates.schemas import ReportTemplate, TemplateBody, TemplateList
from finscribe_gateway.templates.service import TemplateService

router = APIRouter(tags=["templates"])


async def get_template_service(request: Request) -> TemplateService:
    return request.app.state.template_service


TemplateServiceDep = Annotated[TemplateService, Depends(get_template_service)]


@router.get("/v1/templates", summary="Report templates: the built-ins, then the caller's saved ones")
async def list_templates(user: CurrentUser, service: TemplateServiceDep) -> TemplateList:
    return TemplateList(items=await service.list(user))


@router.get("/v1/templates/{template_id}", summary="One template (built-in or the caller's)")
async def get_template(template_id: str, user: CurrentUser, service: TemplateServiceDep) -> ReportTemplate:
    return await service.get(user, template_id)


@router.post("/v1/templates", summary="Save a template for this account", status_code=201)
async def save_template(body: TemplateBody, user: CurrentUser, service: TemplateServiceDep) -> ReportTemplate:
    return await service.save(user, body)


@router.delete("/v1/templates/{template_id}", summary="Delete a saved template", status_code=204)
async def delete_template(template_id: str, user: CurrentUser, service: TemplateServiceDep) -> Response:
    await service.delete(user, template_id)
    return Response(status_code=204)
