"""What a data service's test kit hands demo mode: its replay server and what it holds.

Each data service keeps its replay of the real recordings in its own `testing` kit (the
same replay the full-stack tests serve) and exposes one `demo_replay()` there, named in
`DEMO_REPLAYS`. `finscribe up --demo` serves every replay on a loopback port, points the
service at it (`environment(base_url)`) and lists `holdings` in its banner, so the banner
says what the recordings hold rather than what someone once typed.
"""

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from finscribe_common.demo.provenance import Recording

# "module:function" returning a DemoReplay; imported only when demo mode starts
DEMO_REPLAYS: tuple[str, ...] = (
    "finscribe_krx.testing.demo:demo_replay",
    "finscribe_dart.testing.demo:demo_replay",
    "finscribe_yahoo.testing.demo:demo_replay",
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


def load_demo_replays(specs: tuple[str, ...] = DEMO_REPLAYS) -> list[DemoReplay]:
    """Import each service's `demo_replay()`; ImportError names the missing development kit."""
    replays = []
    for spec in specs:
        module_name, _, function = spec.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            raise ImportError(
                f"demo mode needs the data services' test kits ({module_name}); "
                "install the development environment with `make install`"
            ) from exc
        replays.append(getattr(module, function)())
    return replays
