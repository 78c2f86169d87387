"""Demo mode's gaps: the recordings hold prices for few companies and data for few companies
(fixtures/real). A draft of a company without prices says so in its price section instead of
leaving the section out (which would read as if FinScribe had chosen not to write about the
share price); a run about a company the demo holds nothing for stops with `not_in_demo`."""

from typing import Any

from finscribe_orchestrator.context import Scope
from finscribe_orchestrator.errors import RunFailed
from finscribe_orchestrator.labels import label

PRICE_KEYS = ("price", "index")


def price_section(language: str) -> dict[str, Any]:
    """The price section added to a demo draft whose outline has none (title and purpose in `language`)."""
    return {
        "title": label(language, "demo_price_title"),
        "purpose": label(language, "demo_price_purpose"),
        "data": list(PRICE_KEYS),
    }


def no_prices_text(language: str, company: str) -> str:
    """The price section of a demo draft whose company has no recorded prices (in `language`, no figure)."""
    return label(language, "demo_no_prices", company=company)


def lacks_prices(ctx: Scope) -> bool:
    """A demo run about a listed company whose price series the recordings do not hold."""
    company = ctx.bundle.company
    return bool(ctx.settings.demo and company is not None and company.ticker and "price" not in ctx.bundle.datasets)


def with_price_gap(ctx: Scope, sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The outline with its price sections marked `demo_no_prices` (written as `no_prices_text`)
    and, when it has none, one added after the first section."""
    if not lacks_prices(ctx):
        return sections
    marked = [
        {**s, "demo_no_prices": True} if any(k in PRICE_KEYS for k in s.get("data") or []) else s for s in sections
    ]
    if not any(s.get("demo_no_prices") for s in marked):
        marked.insert(min(1, len(marked)), {**price_section(ctx.language), "demo_no_prices": True})
    return marked


def not_in_demo(ctx: Scope, query: str | None) -> RunFailed | None:
    """The error that stops a demo run about a company the recordings hold nothing for (an
    unknown name, or a real company with no recorded data as of the run's date): a demo report
    of empty sections would look like FinScribe found nothing. None outside demo mode, and
    when the run has data or names no company."""
    if not ctx.settings.demo:
        return None
    company = ctx.bundle.company
    if company is None and not query:
        return None
    if company is not None and any(d.data for d in ctx.bundle.datasets.values()):
        return None  # an empty answer (a filings list with no item) is no recorded data
    held = ctx.settings.demo_companies or ctx.say("demo_held_default")
    if company is None:
        return RunFailed("not_in_demo", ctx.say("failed_not_in_demo_company", name=query, held=held))
    as_of = ctx.bundle.as_of.isoformat()
    return RunFailed("not_in_demo", ctx.say("failed_not_in_demo_data", company=company.label, as_of=as_of, held=held))
