"""`nodes.section.flag`: what a section's number check leaves becomes warnings a reader can read."""

from types import SimpleNamespace
from typing import Any

from finscribe_orchestrator.grounding.check import check_text
from finscribe_orchestrator.grounding.facts import FactIndex
from finscribe_orchestrator.messages import text as message
from finscribe_orchestrator.nodes.section import flag


class _Scope:
    """What `flag` uses of a node's Scope: `warn` (said in English here) and the bundle's facts."""

    def __init__(self) -> None:
        self.bundle = SimpleNamespace(facts=FactIndex(), source_number=lambda key: None)
        self.warnings: list[tuple[str, dict[str, Any], str]] = []

    def warn(self, code: str, **params: Any) -> None:
        self.warnings.append((code, params, message("en", code, **params)))


def test_unknown_citations_are_listed_as_the_text_writes_them() -> None:
    scope = _Scope()
    text = "Revenue grew [3]. Margins held [1, 4]."
    report = check_text(text, scope.bundle.facts, known_citation=lambda n: n == 1)
    fixed = flag(scope, text, report, "Overview")  # type: ignore[arg-type]
    assert fixed == "Revenue grew. Margins held [1]."
    [(code, params, said)] = scope.warnings
    assert code == "unknown_citation"
    assert params["numbers"] == "[3], [4]" and params["citations"] == [3, 4]
    assert said == "Source numbers [3], [4] that do not exist were removed from 'Overview'."
    assert "[3, 4]" not in report.describe("en")
