"""One way to hand out what an app holds for its life: its settings and its service object.

The app factory stores the settings (`app.state.settings`) when it builds the app; the service
object (`app.state.service`) is stored either then (`create_service_app(service=...)`) or by
the lifespan once it is built (`set_service`). Routes never read `app.state` themselves: they
take typed dependencies made here, in the style of FastAPI's `Annotated` dependencies:

    SettingsDep = Annotated[KrxSettings, Depends(settings_dependency(KrxSettings))]
    ServiceDep = Annotated[KrxService, Depends(service_dependency(KrxService))]
"""

from collections.abc import Awaitable, Callable
from typing import TypeVar

from fastapi import FastAPI, Request
from starlette.datastructures import State

T = TypeVar("T")

SETTINGS_ATTR = "settings"
SERVICE_ATTR = "service"


class NotStarted(RuntimeError):
    """A route ran before the lifespan stored the service (a wiring bug: a 500, never a client error)."""


def set_service(app: FastAPI, service: object) -> None:
    """Store the app's one service object (what its routes share for the life of the process)."""
    setattr(app.state, SERVICE_ATTR, service)


def clear_service(app: FastAPI) -> None:
    """Forget the service at shutdown, so readiness reads "not started" rather than a closed one."""
    setattr(app.state, SERVICE_ATTR, None)


def stored(state: State, attr: str, cls: type[T]) -> T | None:
    """The `cls` stored under `attr`, or None when nothing is stored yet.

    Raises `TypeError` when something of another type is stored there (two services wired into
    one app, a wiring bug)."""
    value = getattr(state, attr, None)
    if value is None:
        return None
    if not isinstance(value, cls):
        raise TypeError(f"app.state.{attr} holds a {type(value).__name__}, not a {cls.__name__}")
    return value


def service_of(app: FastAPI, cls: type[T]) -> T | None:
    """The app's service if the lifespan has stored it (readiness checks use this), else None."""
    return stored(app.state, SERVICE_ATTR, cls)


def settings_dependency(cls: type[T]) -> Callable[[Request], Awaitable[T]]:
    """A FastAPI dependency answering the app's settings, checked to be a `cls`."""

    # async on purpose: FastAPI runs a plain `def` dependency in a worker thread, a thread
    # hop on every request for an attribute lookup
    async def dependency(request: Request) -> T:
        value = stored(request.app.state, SETTINGS_ATTR, cls)
        if value is None:
            raise NotStarted("the app has no settings (it was not built by create_service_app)")
        return value

    dependency.__name__ = f"get_{cls.__name__}"
    return dependency


def service_dependency(cls: type[T]) -> Callable[[Request], Awaitable[T]]:
    """A FastAPI dependency answering the app's service, checked to be a `cls`.

    Raises `NotStarted` (a 500 through the kit's error handler) before the lifespan stored it."""

    async def dependency(request: Request) -> T:
        value = stored(request.app.state, SERVICE_ATTR, cls)
        if value is None:
            raise NotStarted(f"the {cls.__name__} is not started (the app's lifespan did not run)")
        return value

    dependency.__name__ = f"get_{cls.__name__}"
    return dependency
