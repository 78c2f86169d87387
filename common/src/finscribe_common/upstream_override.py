"""Send a blocking library's `requests` traffic for given hosts to another base URL.

pykrx, dart-fss and yfinance hard-code their upstream hosts. Staging, egress proxies and
the full-stack tests (which run the real services as processes against local servers
that replay recorded upstream data) need to point them elsewhere without touching the
libraries. `FINSCRIBE_UPSTREAM_OVERRIDES` maps hosts to base URLs:

    FINSCRIBE_UPSTREAM_OVERRIDES="data.krx.co.kr=http://127.0.0.1:9101,opendart.fss.or.kr=http://127.0.0.1:9102"

Unset (production), nothing is installed.
"""

import logging
import os
from urllib.parse import urlsplit, urlunsplit

logger = logging.getLogger("finscribe.upstream_override")

ENV_VAR = "FINSCRIBE_UPSTREAM_OVERRIDES"
_installed: dict[str, str] = {}


def parse_overrides(raw: str | None) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for item in (raw or "").split(","):
        item = item.strip()
        if not item:
            continue
        host, sep, base = item.partition("=")
        if not sep or not host.strip() or not base.strip().startswith(("http://", "https://")):
            raise ValueError(f"{ENV_VAR}: expected host=http(s)://base, got {item!r}")
        mapping[host.strip().lower()] = base.strip().rstrip("/")
    return mapping


def rewrite_url(url: str, mapping: dict[str, str]) -> str:
    parts = urlsplit(url)
    base = mapping.get((parts.hostname or "").lower())
    if base is None:
        return url
    target = urlsplit(base)
    path = target.path.rstrip("/") + parts.path
    return urlunsplit((target.scheme, target.netloc, path, parts.query, parts.fragment))


def install_from_env() -> dict[str, str]:
    """Install the overrides named in the environment (idempotent); returns the mapping."""
    mapping = parse_overrides(os.environ.get(ENV_VAR))
    if mapping:
        # an explicit install() (tests, embedding apps) stays in force when the variable is unset
        install(mapping)
    return mapping


def install(mapping: dict[str, str]) -> None:
    import requests.adapters

    _installed.clear()
    _installed.update(mapping)
    adapter = requests.adapters.HTTPAdapter
    if getattr(adapter.send, "_finscribe_override", False):
        return
    original = adapter.send

    def send(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        if _installed:
            new_url = rewrite_url(request.url, _installed)
            if new_url != request.url:
                request.url = new_url
                host = urlsplit(new_url).netloc
                request.headers["Host"] = host
        return original(self, request, *args, **kwargs)

    send._finscribe_override = True  # type: ignore[attr-defined]
    adapter.send = send  # type: ignore[method-assign]
    logger.warning("upstream overrides active: %s", ", ".join(f"{h} -> {b}" for h, b in mapping.items()))
