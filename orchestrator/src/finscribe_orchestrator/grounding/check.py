"""Check generated text against the run's facts: which numbers are unsupported, which `[n]` are unknown."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from finscribe_orchestrator.grounding.facts import FactIndex
from finscribe_orchestrator.grounding.numbers import Mention, extract_numbers

APPROX_RELATIVE = 0.03  # '약' allows 3 %: a writer rounding 485.8조 to '약 490조' is still honest
_CITATION_GROUP = re.compile(r"\[\s*(\d+(?:\s*[,，]\s*\d+)*)\s*\]")
_CITATION_WITH_SPACE = re.compile(r"\s?\[\s*(\d+(?:\s*[,，]\s*\d+)*)\s*\]")


@dataclass
class GroundingReport:
    checked: int = 0
    unsupported: list[Mention] = field(default_factory=list)
    unknown_citations: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.unsupported and not self.unknown_citations

    def describe(self) -> str:
        parts = []
        if self.unsupported:
            parts.append("확인되지 않은 숫자: " + ", ".join(m.raw for m in self.unsupported))
        if self.unknown_citations:
            parts.append("없는 출처 번호: " + ", ".join(f"[{n}]" for n in self.unknown_citations))
        return "; ".join(parts)


def mention_supported(mention: Mention, facts: FactIndex) -> bool:
    if mention.kind == "date":
        date = mention.date or ""
        if date.startswith("--"):
            return date in facts.month_days
        if len(date) == 10:
            return date in facts.dates
        if len(date) == 7:
            return date in facts.months
        return date in facts.years
    if mention.value is None:
        return True
    target = abs(mention.value)
    # one unit of the last shown digit: covers rounding (485.76 -> 485.8) and truncation (485.76 -> 485.7)
    tolerance = mention.step + target * 1e-9
    if mention.approx:
        tolerance = max(tolerance, target * APPROX_RELATIVE)
    if facts.has_number_near(target, tolerance):
        return True
    if mention.kind == "percent":
        # ratios may be stored as fractions (0.104) and shown as percent (10.4%)
        return facts.has_number_near(target / 100, tolerance / 100)
    return False


def citation_numbers(text: str) -> list[int]:
    numbers: list[int] = []
    for match in _CITATION_GROUP.finditer(text):
        numbers.extend(int(n) for n in re.split(r"\s*[,，]\s*", match.group(1)))
    return numbers


def check_text(text: str, facts: FactIndex, known_citation: Callable[[int], bool] | None = None) -> GroundingReport:
    report = GroundingReport()
    for mention in extract_numbers(text):
        report.checked += 1
        if not mention_supported(mention, facts):
            report.unsupported.append(mention)
    if known_citation is not None:
        report.unknown_citations = sorted({n for n in citation_numbers(text) if not known_citation(n)})
    return report


def drop_unknown_citations(text: str, unknown: list[int]) -> str:
    """Remove `[n]` markers that point at nothing the run fetched (keep the known ones of a group)."""
    if not unknown:
        return text
    bad = set(unknown)

    def fix(match: re.Match[str]) -> str:
        kept = [n for n in re.split(r"\s*[,，]\s*", match.group(1)) if int(n) not in bad]
        lead = match.group(0)[: len(match.group(0)) - len(match.group(0).lstrip())]
        return f"{lead}[{', '.join(kept)}]" if kept else ""

    return _CITATION_WITH_SPACE.sub(fix, text)
