"""What the gateway's routes share for the life of the process (built by `wiring.open_state`)."""

from dataclasses import dataclass
from typing import Annotated

import httpx
from fastapi import Depends
from sqlalchemy.ext.asyncio import AsyncEngine

from finscribe_common.deps import service_dependency
from finscribe_gateway.auth.schemas import Authenticator
from finscribe_gateway.config import GatewaySettings
from finscribe_gateway.files.rag_client import RagIndexClient
from finscribe_gateway.files.service import FileService
from finscribe_gateway.files.storage import FileStorage
from finscribe_gateway.runs.event_log import RunEventLog
from finscribe_gateway.runs.manager import RunManager
from finscribe_gateway.runs.service import RunService
from finscribe_gateway.sessions.service import SessionService
from finscribe_gateway.tasks import DetachedTasks
from finscribe_gateway.templates.service import TemplateService
from finscribe_gateway.users.service import UserService


@dataclass(frozen=True)
class GatewayState:
    """`http_clients`: every outbound client (Google, orchestrator, rag), closed at shutdown."""

    settings: GatewaySettings
    engine: AsyncEngine
    authenticator: Authenticator
    users: UserService
    rag: RagIndexClient
    orchestrator: httpx.AsyncClient
    runs: RunManager
    tasks: DetachedTasks
    file_storage: FileStorage
    internal_token: str
    run_events: RunEventLog
    session_service: SessionService
    file_service: FileService
    template_service: TemplateService
    run_service: RunService
    http_clients: tuple[httpx.AsyncClient, ...]


StateDep = Annotated[GatewayState, Depends(service_dependency(GatewayState))]
