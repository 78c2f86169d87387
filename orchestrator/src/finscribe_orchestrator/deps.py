"""What the orchestrator's routes share for the life of the process, and its typed dependencies."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated

import httpx
from fastapi import Depends

from finscribe_common.deps import service_dependency, settings_dependency
from finscribe_common.settings import ServiceUrls
from finscribe_orchestrator.config import OrchestratorSettings
from finscribe_orchestrator.durable.checkpoints import Checkpoints


@dataclass(frozen=True)
class OrchestratorState:
    """Built once by `main.create_app`.

    `internal_token` is sent on every outbound call; `transports` (tests, benchmarks) route a
    service name (krx, dart, yahoo, rag, gateway, llm) in-process; `keepalive_s` is the SSE
    comment interval in seconds; `checkpoints` holds the draft runs' LangGraph checkpoints."""

    urls: ServiceUrls
    internal_token: str
    checkpoints: Checkpoints
    keepalive_s: float = 15.0
    transports: Mapping[str, httpx.AsyncBaseTransport] = field(default_factory=dict)


SettingsDep = Annotated[OrchestratorSettings, Depends(settings_dependency(OrchestratorSettings))]
StateDep = Annotated[OrchestratorState, Depends(service_dependency(OrchestratorState))]
