"""The Yahoo replay over real HTTP, for running the service as a process.

    FINSCRIBE_UPSTREAM_OVERRIDES="query1.finance.yahoo.com=http://127.0.0.1:PORT,\
query2.finance.yahoo.com=http://127.0.0.1:PORT,fc.yahoo.com=http://127.0.0.1:PORT,\
guce.yahoo.com=http://127.0.0.1:PORT"

The override rewrites host and Host header, so the app tells requests apart by path only
(`/` is fc.yahoo.com's cookie).
"""

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from finscribe_testkit.yahoo.mock import YahooCallCounter
from finscribe_testkit.yahoo.replay import Handler, handle, kind_of

YAHOO_OVERRIDE_HOSTS = ("query1.finance.yahoo.com", "query2.finance.yahoo.com", "fc.yahoo.com", "guce.yahoo.com")


def overrides_for(base_url: str) -> str:
    """The FINSCRIBE_UPSTREAM_OVERRIDES value pointing every Yahoo host at `base_url`."""
    return ",".join(f"{host}={base_url}" for host in YAHOO_OVERRIDE_HOSTS)


def fake_upstream_app(handler: Handler = handle, counter: YahooCallCounter | None = None) -> Starlette:
    async def serve(request: Request) -> Response:
        body = await request.body()
        url = str(request.url)
        if counter is not None:
            counter.record(kind_of(url), request.method, url)
        status, headers, payload = handler(request.method, url, None, body or None)
        return Response(payload, status_code=status, headers=headers)

    routes = [Route("/{path:path}", serve, methods=["GET", "POST", "HEAD"])]
    return Starlette(routes=routes)
