"""A stand-in for the gateway's internal file route (`GET /internal/v1/files/{file_id}/content`).

The orchestrator's only contract with the gateway here is that route: bytes of an
uploaded file to a caller holding the internal token (the cross-team contract). Tests
that do not run the whole gateway serve the file with this app, which enforces the token
exactly as the contract says; the full-stack tests use the real gateway.
"""

import hmac

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route


def file_route_app(files: dict[str, bytes], token: str, media_type: str = "text/csv") -> Starlette:
    requests: list[str] = []

    async def content(request: Request) -> Response:
        requests.append(request.url.path)
        given = request.headers.get("x-internal-token", "")
        if not hmac.compare_digest(given.encode(), token.encode()):
            return JSONResponse({"error": {"code": "unauthenticated", "message": "bad token"}}, status_code=401)
        body = files.get(request.path_params["file_id"])
        if body is None:
            return JSONResponse({"error": {"code": "not_found", "message": "no such file"}}, status_code=404)
        return Response(body, media_type=media_type)

    app = Starlette(routes=[Route("/internal/v1/files/{file_id}/content", content)])
    app.state.requests = requests
    return app
