"""Shapes of the templates API; the template itself is the kit's (`finscribe_common.contract.templates`)."""

from pydantic import BaseModel

from finscribe_common.contract.templates import ReportTemplate, TemplateBody

__all__ = ["ReportTemplate", "TemplateBody", "TemplateList"]


class TemplateList(BaseModel):
    items: list[ReportTemplate]
    """the built-ins (`builtin: true`) first, then the caller's saved templates by name"""
