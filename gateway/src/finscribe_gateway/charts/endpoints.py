import re

from fastapi import APIRouter
from fastapi.responses import Response

from finscribe_common.errors import NotFound
from finscribe_gateway.state import StateDep

router = APIRouter(tags=["charts"])

_CHART_ID = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


@router.get(
    "/v1/charts/{chart_id}.png",
    summary="A chart image (no auth: the id is an unguessable, expiring capability)",
    response_class=Response,
    responses={200: {"content": {"image/png": {}}}, 404: {"description": "unknown or expired"}},
)
async def get_chart(chart_id: str, state: StateDep) -> Response:
    if not _CHART_ID.match(chart_id):
        raise NotFound("chart not found or expired")
    png = await state.runs.charts.png(chart_id)
    if png is None:
        raise NotFound("chart not found or expired")
    return Response(
        png,
        media_type="image/png",
        headers={"Cache-Control": "private, max-age=3600", "X-Content-Type-Options": "nosniff"},
    )
