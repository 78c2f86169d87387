"""The error envelope of API.md and the exceptions that map onto it.

Every error a service returns is `{"error": {"code", "message", "request_id"}}`; callers
never see a stack trace.
"""

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from finscribe_common.request_context import current_request_id
from finscribe_common.text import SafeJSONResponse

JSONResponse = SafeJSONResponse  # error messages may quote input; they must always encode

logger = logging.getLogger("finscribe.errors")


class ApiError(Exception):
    status_code: int = 500
    code: str = "internal_error"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        status_code: int | None = None,
        headers: dict[str, str] | None = None,
        details: Any = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status_code is not None:
            self.status_code = status_code
        self.headers = headers or {}
        self.details = details


class BadRequest(ApiError):
    status_code = 400
    code = "bad_request"


class Unauthorized(ApiError):
    status_code = 401
    code = "unauthenticated"

    def __init__(self, message: str = "authentication required", **kwargs: Any) -> None:
        kwargs.setdefault("headers", {"WWW-Authenticate": "Bearer"})
        super().__init__(message, **kwargs)


class Forbidden(ApiError):
    status_code = 403
    code = "forbidden"


class NotFound(ApiError):
    status_code = 404
    code = "not_found"


class Conflict(ApiError):
    status_code = 409
    code = "conflict"


class PayloadTooLarge(ApiError):
    status_code = 413
    code = "too_large"


class UnsupportedMediaType(ApiError):
    status_code = 415
    code = "unsupported_media_type"


class Unprocessable(ApiError):
    status_code = 422
    code = "validation_error"


class RateLimited(ApiError):
    status_code = 429
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: float = 1.0, **kwargs: Any) -> None:
        headers = dict(kwargs.pop("headers", None) or {})
        headers["Retry-After"] = str(max(1, int(retry_after + 0.999)))
        super().__init__(message, headers=headers, **kwargs)
        self.retry_after = retry_after


class UpstreamError(ApiError):
    status_code = 502
    code = "upstream_error"


class NotConfigured(ApiError):
    status_code = 503
    code = "not_configured"


class Unavailable(ApiError):
    status_code = 503
    code = "unavailable"


class UpstreamTimeout(ApiError):
    status_code = 504
    code = "upstream_timeout"


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message, "request_id": current_request_id()}
    if details is not None:
        error["details"] = details
    return {"error": error}


def error_response(
    status_code: int, code: str, message: str, *, headers: dict[str, str] | None = None, details: Any = None
) -> JSONResponse:
    return JSONResponse(error_body(code, message, details), status_code=status_code, headers=headers)


_STATUS_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
}


def _validation_details(exc: RequestValidationError) -> list[dict[str, Any]]:
    details = []
    for err in exc.errors():
        details.append({"loc": [str(p) for p in err.get("loc", ())], "msg": str(err.get("msg", ""))})
    return details


def _validation_message(details: list[dict[str, Any]]) -> str:
    parts = [f"{'.'.join(d['loc'])}: {d['msg']}" for d in details[:5]]
    return "invalid request: " + "; ".join(parts) if parts else "invalid request"


async def _api_error_handler(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    if exc.status_code >= 500:
        logger.warning("api error %s: %s", exc.code, exc.message)
    return error_response(exc.status_code, exc.code, exc.message, headers=exc.headers, details=exc.details)


async def _validation_handler(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    details = _validation_details(exc)
    return error_response(422, "validation_error", _validation_message(details), details=details)


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def _allowed_methods(request: Request) -> str | None:
    """Every method some route serves at this path (Starlette's 405 names only the first
    route that matched the path, so GET and DELETE on one path would each hide the other).
    Asked of the router itself, method by method, so included routers count too."""
    allowed = []
    for method in _METHODS:
        scope = {**request.scope, "method": method}
        if any(route.matches(scope)[0] == Match.FULL for route in request.app.router.routes):
            allowed.append(method)
    return ", ".join(allowed) if allowed else None


async def _http_exception_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _STATUS_CODES.get(exc.status_code, "error" if exc.status_code < 500 else "internal_error")
    message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
    headers = dict(getattr(exc, "headers", None) or {})
    if exc.status_code == 405 and (allowed := _allowed_methods(request)) is not None:
        headers["Allow"] = allowed
    return error_response(exc.status_code, code, message, headers=headers or None)


async def _unhandled_handler(_: Request, exc: Exception) -> JSONResponse:
    logger.exception("unhandled error", exc_info=exc)
    return error_response(500, "internal_error", "internal error; quote the request id when reporting it")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error_handler)
    app.add_exception_handler(RequestValidationError, _validation_handler)
    app.add_exception_handler(StarletteHTTPException, _http_exception_handler)
    app.add_exception_handler(Exception, _unhandled_handler)
