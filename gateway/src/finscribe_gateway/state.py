"""What the gateway's routes share for the life of the process (built in main.lifespan)."""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import httpx
from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncEngine

from finscribe_gateway.auth.schemas import Authenticator
from finscribe_gateway.config import GatewaySettings

if TYPE_CHECKING:
    from finscribe_gateway.files.rag_client import RagClient
    from finscribe_gateway.files.storage import FileStorage
    from finscribe_gateway.runs.event_log import RunEventLog
    from finscribe_gateway.runs.manager import RunManager
    from finscribe_gateway.tasks import TaskGroup
    from finscribe_gateway.users.service import UserService


@dataclass
class GatewayState:
    settings: GatewaySettings
    engine: AsyncEngine
    authenticator: Authenticator
    users: "UserService"
    rag: "RagClient"
    orchestrator: httpx.AsyncClient
    runs: "RunManager"
    tasks: "TaskGroup"
    file_storage: "FileStorage"
    internal_token: str
    run_events: "RunEventLog"


async def get_state(request: Request) -> GatewayState:
    # async on purpose, like every dependency here: FastAPI runs a plain `def` dependency
    # in a worker thread, a thread hop on every request for an attribute lookup
    state = getattr(request.app.state, "gateway", None)
    if state is None:
        raise RuntimeError("the gateway is not started (lifespan did not run)")
    return state


StateDep = Annotated[GatewayState, Depends(get_state)]
