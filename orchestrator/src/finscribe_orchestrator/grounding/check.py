"""Check generated text against the run's facts, number by number and sentence by sentence.

Each number gets one verdict (see `Verdict`): it must match a fetched or derived figure in
magnitude (within its display step and qualifiers), in unit (% vs %p, 조 vs 억), in the
sign or direction its sentence claims, and its sentence must cite a source that holds it.
An uncited supported number gets its source's `[n]` (a fix, not a finding); everything
else is a finding: regenerated once with the finding stated, then flagged.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from finscribe_common.numbers import Mention, extract_numbers, pp, won
from finscribe_orchestrator.grounding.claims import claimed_sign, turn_claim
from finscribe_orchestrator.grounding.facts import Fact, FactIndex

Verdict = Literal[
    "supported",
    "supported_uncited",
    "unsupported",  # no fetched figure of that magnitude
    "wrong_sign",  # a written sign or 흑자/적자 opposite to the figure's
    "wrong_direction",  # 증가/감소, 상승/하락 … opposite to the change
    "percent_unit",  # % where the data is a %p change, or the other way round
    "wrong_unit",  # the figure with a slipped unit: 조 for 억, 억 for 만, 천원 for 원 …
    "wrong_citation",  # cited to a source that does not hold it
]
FINDINGS: tuple[Verdict, ...] = (
    "unsupported",
    "wrong_sign",
    "wrong_direction",
    "percent_unit",
    "wrong_unit",
    "wrong_citation",
)
_UNIT_SLIPS = (1e4, 1e-4, 1e8, 1e-8, 1e3, 1e-3, 1e12, 1e-12)
_CITATION_GROUP = re.compile(r"\[\s*(\d+(?:\s*[,，]\s*\d+)*)\s*\]")
_CITATION_WITH_SPACE = re.compile(r"\s?\[\s*(\d+(?:\s*[,，]\s*\d+)*)\s*\]")
_SENTENCE_END = re.compile(r"(?<=[.!?。])\s+|\n+")
_LEADING_CITATIONS = re.compile(r"^(?:\s*\[\s*\d+(?:\s*[,，]\s*\d+)*\s*\])+")
_CLOSING = re.compile(r"[.!?。]?\s*$")


@dataclass(frozen=True)
class Finding:
    mention: Mention
    verdict: Verdict
    detail: str = ""
    cite: int | None = None  # the source that holds the figure, for citation verdicts

    def describe(self) -> str:
        return f"'{self.mention.raw}': {self.detail}" if self.detail else f"'{self.mention.raw}'"


@dataclass
class GroundingReport:
    checked: int = 0
    findings: list[Finding] = field(default_factory=list)
    unknown_citations: list[int] = field(default_factory=list)
    citation_fixes: list[tuple[int, int]] = field(default_factory=list)  # (offset, n) of a missing `[n]`

    @property
    def ok(self) -> bool:
        return not self.findings and not self.unknown_citations

    @property
    def unsupported(self) -> list[Mention]:
        return [f.mention for f in self.findings if f.verdict == "unsupported"]

    def problems(self) -> int:
        return len(self.findings) + len(self.unknown_citations)

    def describe(self) -> str:
        parts = []
        labels = {
            "unsupported": "확인되지 않은 숫자",
            "wrong_sign": "부호가 데이터와 다른 숫자",
            "wrong_direction": "증감 방향이 데이터와 반대인 숫자",
            "percent_unit": "%와 %p를 혼동한 숫자",
            "wrong_unit": "단위(조·억·만)가 잘못된 숫자",
            "wrong_citation": "출처 번호가 잘못된 숫자",
        }
        for verdict, label in labels.items():
            found = [f for f in self.findings if f.verdict == verdict]
            if found:
                shown = [f.mention.raw for f in found] if verdict == "unsupported" else [f.describe() for f in found]
                parts.append(f"{label}: " + ", ".join(shown))
        if self.unknown_citations:
            parts.append("없는 출처 번호: " + ", ".join(f"[{n}]" for n in self.unknown_citations))
        return "; ".join(parts)


def _shown(fact: Fact, mention: Mention) -> str:
    if fact.kind == "pp":
        return pp(fact.value)
    if mention.kind == "amount" and mention.currency in ("", "KRW"):
        return won(fact.value)
    return f"{fact.value:+,.2f}" + ("%" if mention.kind == "percent" else "")


def _date_supported(mention: Mention, facts: FactIndex) -> bool:
    date = mention.date or ""
    if date.startswith("--"):
        return date in facts.month_days
    if len(date) == 10:
        return date in facts.dates
    if len(date) == 7:
        return date in facts.months
    return date in facts.years


def _candidates(mention: Mention, facts: FactIndex, low: float, high: float) -> list[Fact]:
    found = list(facts.near(low, high))
    if mention.kind in ("percent", "pp"):
        # ratios may be stored as fractions (0.104) and shown as percent (10.4%)
        found += [f for f in facts.near(low / 100, high / 100) if f.kind == "value"]
    return found


def judge(text: str, mention: Mention, facts: FactIndex) -> tuple[Verdict, list[Fact], str]:
    """The verdict on one number of `text` (citations aside), the facts that support it, and why not."""
    if mention.kind == "date":
        return ("supported" if _date_supported(mention, facts) else "unsupported"), [], ""
    if mention.value is None:
        return "supported", [], ""
    low, high = mention.magnitude_bounds()
    candidates = _candidates(mention, facts, low, high)
    if not candidates:
        if mention.kind in ("amount", "number") and not mention.qualifier:  # a slip keeps the digits exactly
            for factor in _UNIT_SLIPS:
                slipped = facts.near(low * factor, high * factor)
                if slipped:
                    return "wrong_unit", [], f"데이터는 {_shown(slipped[0], mention)}"
        return "unsupported", [], ""
    if mention.kind == "pp":
        points = [f for f in candidates if f.kind == "pp"]
        if not points:
            return "percent_unit", [], "데이터는 %p 변화가 아니라 % 값입니다"
        candidates = points
    elif mention.kind == "percent":
        rates = [f for f in candidates if f.kind != "pp"]
        if not rates:
            return "percent_unit", [], f"데이터는 {_shown(candidates[0], mention)} (%p 변화)입니다"
        candidates = rates
    sign, why = claimed_sign(text, mention)
    if sign:
        agreeing = [f for f in candidates if not f.signed or f.value == 0 or (f.value > 0) == (sign > 0)]
        if not agreeing:
            shown = _shown(candidates[0], mention)
            if why == "direction":
                word = "증가/상승" if candidates[0].value > 0 else "감소/하락"
                return "wrong_direction", [], f"데이터는 {shown} ({word})"
            word = "흑자/양수" if candidates[0].value > 0 else "적자/음수"
            return "wrong_sign", [], f"데이터는 {shown} ({word})"
        candidates = agreeing
    turn = turn_claim(text, mention)
    if turn is not None:
        priors = facts.priors(low, high)
        if priors and not any(prior == 0 or (prior > 0) == (turn[1] > 0) for prior in priors):
            said = "전환" if turn[0] != turn[1] else "지속"
            return "wrong_direction", [], f"'{said}'이 아닙니다: 비교 기간 {_shown(Fact(priors[0]), mention)}"
    return "supported", candidates, ""


def citation_numbers(text: str) -> list[int]:
    numbers: list[int] = []
    for match in _CITATION_GROUP.finditer(text):
        numbers.extend(int(n) for n in re.split(r"\s*[,，]\s*", match.group(1)))
    return numbers


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; a `[n]` right after a sentence's period belongs to that sentence."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        lead = _LEADING_CITATIONS.match(text[s:e])
        if lead and merged:
            ps, _ = merged[-1]
            merged[-1] = (ps, s + lead.end())
            s += lead.end()
        if text[s:e].strip():
            merged.append((s, e))
    return merged


def check_text(
    text: str,
    facts: FactIndex,
    known_citation: Callable[[int], bool] | None = None,
    source_number: Callable[[str], int | None] | None = None,
) -> GroundingReport:
    """Judge every number of `text`. With `source_number` (dataset key -> its `[n]`) citations are
    checked too: a supported number whose sentence cites nothing gets a fix, one cited elsewhere a finding."""
    report = GroundingReport()
    mentions = extract_numbers(text)
    spans = sentences(text)
    for mention in mentions:
        report.checked += 1
        verdict, support, detail = judge(text, mention, facts)
        if verdict != "supported":
            report.findings.append(Finding(mention, verdict, detail))
            continue
        if source_number is None or not support or any(f.source is None for f in support):
            continue  # a date, the user's own words or an unattributed derivation: nothing to cite
        holders = {n for n in (source_number(f.source) for f in support if f.source) if n is not None}
        if not holders:
            continue
        span = next(((s, e) for s, e in spans if s <= mention.start < e), (0, len(text)))
        cited = set(citation_numbers(text[span[0] : span[1]]))
        if not cited:
            fix = (_closing_offset(text, span), min(holders))
            if fix not in report.citation_fixes:
                report.citation_fixes.append(fix)
        elif not cited & holders:
            right = min(holders)
            report.findings.append(
                Finding(mention, "wrong_citation", f"인용한 {sorted(cited)}에는 없고 [{right}]에 있습니다", right)
            )
    if known_citation is not None:
        report.unknown_citations = sorted({n for n in citation_numbers(text) if not known_citation(n)})
    return report


def _closing_offset(text: str, span: tuple[int, int]) -> int:
    """Where a sentence's `[n]` goes: before its closing period, as the house style writes '입니다 [1].'"""
    sentence = text[span[0] : span[1]]
    closing = _CLOSING.search(sentence)
    return span[0] + (closing.start() if closing else len(sentence))


def add_citations(text: str, fixes: list[tuple[int, int]]) -> str:
    """Insert ` [n]` at each fix's offset (right to left, so earlier offsets stay valid)."""
    for offset, n in sorted(set(fixes), reverse=True):
        text = f"{text[:offset].rstrip()} [{n}]{text[offset:]}"
    return text


def correct_citations(text: str, findings: list[Finding]) -> str:
    """A number cited to the wrong source: its sentence cites the source that holds it instead."""
    spans = sentences(text)
    for finding in sorted(
        (f for f in findings if f.verdict == "wrong_citation" and f.cite), key=lambda f: -f.mention.start
    ):
        span = next(((s, e) for s, e in spans if s <= finding.mention.start < e), None)
        if span is None:
            continue
        s, e = span
        sentence = _CITATION_WITH_SPACE.sub("", text[s:e])
        fixed = add_citations(sentence, [(_closing_offset(sentence, (0, len(sentence))), finding.cite or 0)])
        text = text[:s] + fixed + text[e:]
        spans = sentences(text)
    return text


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
