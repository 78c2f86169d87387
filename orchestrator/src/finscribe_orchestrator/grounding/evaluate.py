"""Score grounding against the hand-written sentence set: `python -m finscribe_orchestrator.grounding.evaluate`.

The set (orchestrator/tests/grounding/eval/sentences.json) holds datasets — the figures a run
would have fetched, each with its dataset key, written out by hand from the recorded filings
(or passages to read as a PDF would give them) and the `[n]` of each dataset — and cases: a
sentence, the dataset it is checked against and the verdict expected (`check.Verdict`), with
the number the finding is about. A sentence's verdict is its findings' (one kind expected),
else 'supported_uncited' when a citation had to be added, else 'supported'.
"""

import json
import sys
from pathlib import Path
from typing import Any

from finscribe_common.numbers.evaluate import score
from finscribe_orchestrator.grounding.check import GroundingReport, check_text
from finscribe_orchestrator.grounding.facts import FactIndex

DEFAULT_SET = Path(__file__).resolve().parents[3] / "tests" / "grounding" / "eval" / "sentences.json"


def build(dataset: dict[str, Any]) -> tuple[FactIndex, dict[str, int]]:
    facts = FactIndex()
    for fact in dataset.get("facts", []):
        facts.add_number(fact["value"], source=fact["source"], kind=fact.get("kind", "value"))
    for passage in dataset.get("passages", []):
        facts.add_text(passage["text"], source=passage["source"])
    for current, prior in dataset.get("periods", []):
        facts.add_period_pair(current, prior)
    for year in dataset.get("years", []):
        facts.add_year(year)
    for date in dataset.get("dates", []):
        facts.add_date(date)
    return facts, dict(dataset["sources"])


def verdicts(report: GroundingReport) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = sorted({(f.verdict, f.mention.raw) for f in report.findings})
    if found:
        return found
    return [("supported_uncited", "")] if report.citation_fixes else [("supported", "")]


def check(case: dict[str, Any], datasets: dict[str, tuple[FactIndex, dict[str, int]]]) -> str | None:
    facts, sources = datasets[case["data"]]
    numbers = set(sources.values())
    report = check_text(case["text"], facts, lambda n: n in numbers, sources.get)
    got = verdicts(report)
    want = case["verdict"]
    kinds = {v for v, _ in got}
    if kinds != {want}:
        return f"got {got}, want {want}"
    if case.get("number") and case["number"] not in {raw for _, raw in got}:
        return f"got {got}, want {want} on {case['number']!r}"
    return None


def run(path: Path = DEFAULT_SET) -> tuple[int, int, list[str]]:
    spec = json.loads(path.read_text(encoding="utf-8"))
    datasets = {name: build(data) for name, data in spec["datasets"].items()}
    cases = spec["cases"]
    failures = [f"{c['text']!r}: {p}" for c in cases if (p := check(c, datasets)) is not None]
    return len(cases) - len(failures), len(cases), failures


def main(argv: list[str]) -> int:
    return score(argv, DEFAULT_SET, run, "Grounding verdicts on sentences")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
