"""What the test kit hands demo mode for each data service: its replay server and what it holds.

The replays of the real recordings live in the development-only test kit (`finscribe_testkit`,
installed by `requirements-dev.txt`, never by an image): the same replays the full-stack tests
serve. Each data service's part of the kit exposes one `demo_replay()`, named in
`DEMO_REPLAYS`. `finscribe up --demo` serves every replay on a loopback port, points the
service at it (`environment(base_url)`) and lists `holdings` in its banner, so the banner
says what the recordings hold rather than what someone once typed. Without the kit demo mode
stops with `DemoKitMissing` (exit code 3), never with a traceback.
"""

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Literal

from finscribe_common.demo.provenance import Recording

# "module:function" returning a DemoReplay; imported only when demo mode starts
DEMO_REPLAYS: tuple[str, ...] = (
    "finscribe_testkit.krx.demo:demo_replay",
    "finscribe_testkit.dart.demo:demo_replay",
    "finscribe_testkit.yahoo.demo:demo_replay",
)

HoldingKind = Literal["filing", "prices", "index"]


@dataclass(frozen=True)
class Holding:
    """One recorded series or filing a replay answers with.

    `code`: a KRX stock code (`005930`), an index code (`1001`) or a Yahoo symbol (`TSLA`);
    `what`: e.g. `반기보고서 (2024.06)` or `일별 종가`; `first`/`last`: the recorded days
    (a filing's receipt date for both)."""

    source: str  # "DART" | "KRX" | "Yahoo Finance"
    kind: HoldingKind
    code: str
    name: str
    what: str
    first: dt.date
    last: dt.date


@dataclass(frozen=True)
class DemoReplay:
    """`app`: the replay as an ASGI app; `environment(base_url)`: the variables that point the
    service at it (its `FINSCRIBE_UPSTREAM_OVERRIDES` entries under that key, joined by the
    caller, and the replay's own credentials); `holdings`: what it answers with;
    `recordings`: what each source it feeds really is and when it was recorded."""

    service: str
    app: Any
    environment: Callable[[str], dict[str, str]]
    holdings: tuple[Holding, ...] = field(default_factory=tuple)
    recordings: tuple[Recording, ...] = field(default_factory=tuple)


KIT = "finscribe_testkit"


class DemoKitMissing(Exception):
    """Demo mode needs the development test kit, which is not installed (as in an image)."""


def import_kit(module_name: str) -> ModuleType:
    """Import a module of the test kit; DemoKitMissing when the kit is not installed.

    Only the kit's own absence is translated: an ImportError from inside an installed kit
    (a broken module, a missing third-party package) is a bug to see whole."""
    try:
        return importlib.import_module(module_name)
    except ImportError as exc:
        if exc.name != KIT:
            raise
        raise DemoKitMissing(
            f"finscribe up --demo serves the recorded data through the development test kit ({KIT}), "
            "which is not installed here. Demo mode is a development feature: in a clone of the "
            "repository run `make install` (it installs testkit/ with requirements-dev.txt), then `make demo`."
        ) from exc


def load_demo_replays(specs: tuple[str, ...] = DEMO_REPLAYS) -> list[DemoReplay]:
    """Import each service's `demo_replay()` from the test kit (DemoKitMissing without it)."""
    replays = []
    for spec in specs:
        module_name, _, function = spec.partition(":")
        replays.append(getattr(import_kit(module_name), function)())
    return replays
