"""Take `{png_base64, title, alt, source}` out of run events, store the PNG, put back
`{chart_id, url, title, alt, source}`."""

import base64
import binascii
import datetime as dt
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from finscribe_common.schemas import utc_now
from finscribe_gateway.charts import repository

logger = logging.getLogger("finscribe.gateway.charts")

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def new_chart_id() -> str:
    return secrets.token_urlsafe(24)  # 192 random bits: a capability, not a guessable id


def chart_url(public_base_url: str, chart_id: str) -> str:
    return f"{public_base_url.rstrip('/')}/v1/charts/{chart_id}.png"


@dataclass
class RunRef:
    run_id: str
    session_id: str
    user_sub: str


def _now() -> dt.datetime:
    return utc_now(microseconds=True)


class ChartStore:
    """`clock`: the one source of "now" for a URL's expiry, when storing and when serving
    (tests move it instead of sleeping past a TTL)."""

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        public_base_url: str,
        ttl_s: int,
        max_bytes: int,
        clock: Callable[[], dt.datetime] = _now,
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.public_base_url = public_base_url
        self.ttl_s = ttl_s
        self.max_bytes = max_bytes

    async def swap(self, value: Any, ctx: RunRef, warnings: list[str]) -> Any:
        """A copy of `value` with every inline chart stored and replaced by its URL."""
        if isinstance(value, dict):
            if "png_base64" in value:
                return await self._store(value, ctx, warnings)
            return {k: await self.swap(v, ctx, warnings) for k, v in value.items()}
        if isinstance(value, list):
            return [await self.swap(v, ctx, warnings) for v in value]
        return value

    async def _store(self, chart: dict[str, Any], ctx: RunRef, warnings: list[str]) -> dict[str, Any]:
        rest = {k: v for k, v in chart.items() if k != "png_base64"}
        title = str(chart.get("title") or "")[:500]
        try:
            png = base64.b64decode(str(chart.get("png_base64") or ""), validate=True)
        except (binascii.Error, ValueError):
            png = b""
        if not png.startswith(PNG_MAGIC) or len(png) > self.max_bytes:
            warnings.append(f"chart {title!r} was dropped: not a PNG or larger than {self.max_bytes} bytes")
            return {**rest, "chart_id": None, "url": None}
        chart_id = new_chart_id()
        now = self.clock()
        async with self.engine.begin() as conn:
            await repository.insert(
                conn,
                {
                    "id": chart_id,
                    "user_sub": ctx.user_sub,
                    "session_id": ctx.session_id,
                    "run_id": ctx.run_id,
                    "png": png,
                    "title": title or None,
                    "alt": chart.get("alt") if isinstance(chart.get("alt"), str) else None,
                    "source": chart.get("source") if isinstance(chart.get("source"), dict | list) else None,
                    "created_at": now,
                    "expires_at": now + dt.timedelta(seconds=self.ttl_s),
                },
            )
        return {
            **rest,
            "chart_id": chart_id,
            "url": chart_url(self.public_base_url, chart_id),
            "title": chart.get("title"),
            "alt": chart.get("alt"),
            "source": chart.get("source"),
        }

    async def png(self, chart_id: str) -> bytes | None:
        async with self.engine.connect() as conn:
            return await repository.get_png(conn, chart_id=chart_id, now=self.clock())

    async def purge_expired(self) -> int:
        async with self.engine.begin() as conn:
            return await repository.delete_expired(conn, now=self.clock())
