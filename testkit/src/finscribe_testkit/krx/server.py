"""The replay served over real HTTP, for running the krx service as a process
(`FINSCRIBE_UPSTREAM_OVERRIDES=data.krx.co.kr=http://127.0.0.1:<port>`)."""

import asyncio

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from finscribe_testkit.krx.mock import KrxReplay
from finscribe_testkit.krx.replay import DATA_PATH


def fake_upstream_app(replay: KrxReplay | None = None, *, delay_s: float = 0.0) -> Starlette:
    """An ASGI app answering like data.krx.co.kr; `delay_s` slows every data answer
    (getJsonData.cmd; the login stays fast, as pykrx gives it its own fixed timeout)."""
    log = replay or KrxReplay()

    async def endpoint(request: Request) -> Response:
        body = await request.body()
        if delay_s and request.url.path == DATA_PATH:
            await asyncio.sleep(delay_s)
        url = str(request.url).replace(f"{request.url.scheme}://{request.url.netloc}", "https://data.krx.co.kr", 1)
        status, headers, content = log.respond(request.method, url, body, dict(request.headers))
        return Response(content, status_code=status, headers=headers)

    app = Starlette(routes=[Route("/{path:path}", endpoint, methods=["GET", "POST"])])
    app.state.replay = log
    return app
