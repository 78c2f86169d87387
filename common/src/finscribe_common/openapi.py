"""Every service's OpenAPI document lists the error answers its routes can give.

FastAPI documents 200 and its own 422 shape (`HTTPValidationError`), which is not what we
answer. `document_errors(app)` rewrites the generated document once: each operation gets
the error statuses of API.md with the `ErrorEnvelope` schema (`Retry-After` on 429/503),
the 422 becomes the envelope too, and operations without a request body do not list the
body-only statuses (408, 413, 415). A route adds its own with `responses={...}` as usual.
"""

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

ENVELOPE_REF = "#/components/schemas/ErrorEnvelope"

ENVELOPE_SCHEMA: dict[str, Any] = {
    "title": "ErrorEnvelope",
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "request_id"],
            "properties": {
                "code": {"type": "string", "description": "machine-readable, e.g. not_found, rate_limited"},
                "message": {"type": "string", "description": "for people; never a stack trace"},
                "request_id": {"type": "string", "description": "also in the X-Request-ID header"},
                "details": {"description": "optional: e.g. the failing fields of a 422"},
            },
        }
    },
}

ERROR_STATUSES: dict[int, str] = {
    400: "Bad input (malformed body, out-of-range dates, JSON nested too deep)",
    401: "Missing or invalid credentials (Bearer token, or X-Internal-Token on internal services)",
    404: "Unknown, or not yours",
    405: "Method not allowed (the Allow header lists the allowed ones)",
    408: "The request body stalled",
    409: "Conflicts with the current state",
    413: "Body, file or field too large",
    415: "Unsupported media type",
    422: "Validation failed (fields, patterns, ranges, invalid text such as lone surrogates)",
    429: "Rate limited; retry after Retry-After seconds",
    431: "Request headers too large",
    502: "An upstream answered with an error",
    503: "Not configured, or a dependency is unavailable",
    504: "An upstream timed out",
}
BODY_ONLY = frozenset({408, 413, 415})
_RETRY_AFTER = {"Retry-After": {"description": "seconds to wait", "schema": {"type": "integer"}}}


def _error_response(status: int, description: str) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": ENVELOPE_REF}}},
    }
    if status in (429, 503):
        response["headers"] = dict(_RETRY_AFTER)
    return response


def add_error_responses(schema: dict[str, Any]) -> dict[str, Any]:
    """Document the envelope on every operation of an OpenAPI document (in place)."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["ErrorEnvelope"] = ENVELOPE_SCHEMA
    for methods in schema.get("paths", {}).values():
        for operation in methods.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            has_body = "requestBody" in operation
            # a route's own error entries keep their words and get the envelope schema
            for status_text, existing in list(responses.items()):
                if status_text.isdigit() and int(status_text) >= 400 and "content" not in existing:
                    described = existing.get("description") or ERROR_STATUSES.get(int(status_text), "error")
                    responses[status_text] = _error_response(int(status_text), described)
            for status, description in ERROR_STATUSES.items():
                if status in BODY_ONLY and not has_body:
                    continue
                existing = responses.get(str(status))
                if existing is None or status == 422:
                    responses[str(status)] = _error_response(status, description)
    components.pop("HTTPValidationError", None)
    components.pop("ValidationError", None)
    return schema


def document_errors(app: FastAPI) -> Callable[[], dict[str, Any]]:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                openapi_version=app.openapi_version,
                description=app.description,
                routes=app.routes,
            )
            app.openapi_schema = add_error_responses(schema)
        return app.openapi_schema

    return openapi
