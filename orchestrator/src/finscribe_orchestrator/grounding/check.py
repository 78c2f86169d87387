"""Check generated text against the run's facts, number by number and sentence by sentence.

Each number gets one verdict (see `Verdict`): it must match a fetched or derived figure in
magnitude (within its display step and qualifiers), in unit (% vs %p, 조 vs 억), in the
sign or direction its sentence claims, and its sentence must cite a source that holds it.
An uncited supported number gets its source's `[n]` (a fix, not a finding); everything
else is a finding: regenerated once with the finding stated, then flagged.
"""

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from finscribe_common.numbers import Mention, extract_numbers, pp, won
from finscribe_common.numbers.format import won_en
from finscribe_common.numbers.units import ENGLISH_SCALE
from finscribe_orchestrator.grounding.claims import claimed_sign, turn_claim
from finscribe_orchestrator.grounding.facts import Fact, FactIndex
from finscribe_orchestrator.messages import Say, say
from finscribe_orchestrator.messages import text as message

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
_UNIT_SLIPS = (1e3, 1e-3, 1e4, 1e-4, 1e6, 1e-6, 1e8, 1e-8, 1e12, 1e-12)
# the unit words a writer can put for one another: 천/thousand, 만, 백만/million, 억, billion, 조/trillion
_UNITS = (1.0, 1e3, 1e4, 1e6, 1e8, 1e9, 1e12)
_KOREAN_UNIT = {"천": 1e3, "만": 1e4, "억": 1e8, "조": 1e12}
_ENGLISH_UNIT = re.compile(r"\b(?:" + "|".join(ENGLISH_SCALE) + r")\b")
_CITATION_GROUP = re.compile(r"\[\s*(\d+(?:\s*[,，]\s*\d+)*)\s*\]")
_CITATION_WITH_SPACE = re.compile(r"\s?\[\s*(\d+(?:\s*[,，]\s*\d+)*)\s*\]")
_SENTENCE_END = re.compile(r"(?<=[.!?。])\s+|\n+")
_LEADING_CITATIONS = re.compile(r"^(?:\s*\[\s*\d+(?:\s*[,，]\s*\d+)*\s*\])+")
_CLOSING = re.compile(r"[.!?。]?\s*$")


@dataclass(frozen=True)
class Finding:
    """One number's verdict. `detail`: what the data says instead, a `finding_…` message
    (messages.py) so a warning can say it in the run's (and the panel's) language; None for
    `unsupported`, which has nothing to compare with."""

    mention: Mention
    verdict: Verdict
    detail: Say | None = None
    cite: int | None = None  # the source that holds the figure, for citation verdicts

    def describe(self, language: str = "ko") -> str:
        if self.detail is None:
            return f"'{self.mention.raw}'"
        return f"'{self.mention.raw}': {self.detail.render(language)}"


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

    def describe(self, language: str = "ko") -> str:
        """The findings by kind in `language` (messages.py `findings_…`), '; '-separated: for the
        regeneration prompt and the verify step's detail; '' when there are none."""
        parts = []
        for verdict in FINDINGS:
            found = [f for f in self.findings if f.verdict == verdict]
            if found:
                shown = (
                    [f.mention.raw for f in found]
                    if verdict == "unsupported"
                    else [f.describe(language) for f in found]
                )
                parts.append(f"{message(language, f'findings_{verdict}')}: " + ", ".join(shown))
        if self.unknown_citations:
            listed = citation_list(self.unknown_citations)
            parts.append(f"{message(language, 'findings_unknown_citation')}: {listed}")
        return "; ".join(parts)


def _shown(fact: Fact, mention: Mention) -> dict[str, str]:
    """The figure as a finding shows it: `shown` for the Korean sentence, `shown_en` for the
    English one (won amounts differ: '1조 2,000억원' / 'KRW 1.2 trillion')."""
    if fact.kind == "pp":
        shown = pp(fact.value)
        return {"shown": shown, "shown_en": shown}
    if mention.kind == "amount" and mention.currency in ("", "KRW"):
        return {"shown": won(fact.value), "shown_en": won_en(fact.value)}
    shown = f"{fact.value:+,.2f}" + ("%" if mention.kind == "percent" else "")
    return {"shown": shown, "shown_en": shown}


def _date_supported(mention: Mention, facts: FactIndex) -> bool:
    date = mention.date or ""
    if date.startswith("--"):
        return date in facts.month_days
    if len(date) == 10:
        return date in facts.dates
    if len(date) == 7:
        return date in facts.months
    return date in facts.years


def _written_unit(mention: Mention) -> float:
    """The multiplier of the figure's last unit word: 'KRW 26.7 billion' 1e9, '17억 499만원' 1e4,
    '53,200천원' 1e3, '53,200원' 1."""
    english = _ENGLISH_UNIT.findall(mention.raw)
    if english:
        return ENGLISH_SCALE[english[-1]]
    korean = [ch for ch in mention.raw if ch in _KOREAN_UNIT]
    return _KOREAN_UNIT[korean[-1]] if korean else 1.0


def _slips(mention: Mention) -> list[float]:
    """The unit-slip factors to try, the most plausible first: those that turn the written unit
    into another real one ('KRW 26.7 billion' for 26.7 trillion: billion -> trillion, x1e3), then the
    nearest. In a fixed order the figure could match a tiny unrelated one first ('KRW 26.7
    billion' x1e-8 = 267, a price or a count), and the finding would show that figure."""
    unit = _written_unit(mention)

    def real(factor: float) -> bool:
        return any(math.isclose(unit * factor, u) for u in _UNITS)

    return sorted(_UNIT_SLIPS, key=lambda f: (not real(f), abs(math.log10(f)), f < 1))


def _candidates(mention: Mention, facts: FactIndex, low: float, high: float) -> list[Fact]:
    found = list(facts.near(low, high))
    if mention.kind in ("percent", "pp"):
        # ratios may be stored as fractions (0.104) and shown as percent (10.4%)
        found += [f for f in facts.near(low / 100, high / 100) if f.kind == "value"]
    return found


def judge(text: str, mention: Mention, facts: FactIndex) -> tuple[Verdict, list[Fact], Say | None]:
    """The verdict on one number of `text` (citations aside), the facts that support it, and why
    not (a `finding_…` message; None when supported or merely unsupported)."""
    if mention.kind == "date":
        return ("supported" if _date_supported(mention, facts) else "unsupported"), [], None
    if mention.value is None:
        return "supported", [], None
    low, high = mention.magnitude_bounds()
    candidates = _candidates(mention, facts, low, high)
    if not candidates:
        if mention.kind in ("amount", "number") and not mention.qualifier:  # a slip keeps the digits exactly
            for factor in _slips(mention):
                slipped = facts.near(low * factor, high * factor)
                if slipped:
                    return "wrong_unit", [], say("finding_unit", **_shown(slipped[0], mention))
        return "unsupported", [], None
    if mention.kind == "pp":
        points = [f for f in candidates if f.kind == "pp"]
        if not points:
            return "percent_unit", [], say("finding_not_pp")
        candidates = points
    elif mention.kind == "percent":
        rates = [f for f in candidates if f.kind != "pp"]
        if not rates:
            return "percent_unit", [], say("finding_is_pp", **_shown(candidates[0], mention))
        candidates = rates
    sign, why = claimed_sign(text, mention)
    if sign:
        agreeing = [f for f in candidates if not f.signed or f.value == 0 or (f.value > 0) == (sign > 0)]
        if not agreeing:
            shown = _shown(candidates[0], mention)
            up = candidates[0].value > 0
            if why == "direction":
                return "wrong_direction", [], say("finding_up" if up else "finding_down", **shown)
            return "wrong_sign", [], say("finding_positive" if up else "finding_negative", **shown)
        candidates = agreeing
    turn = turn_claim(text, mention)
    if turn is not None:
        priors = facts.priors(low, high)
        if priors and not any(prior == 0 or (prior > 0) == (turn[1] > 0) for prior in priors):
            key = "finding_not_turn" if turn[0] != turn[1] else "finding_not_continued"
            return "wrong_direction", [], say(key, **_shown(Fact(priors[0]), mention))
    return "supported", candidates, None


def citation_list(numbers: Iterable[int]) -> str:
    """Source numbers as a reader sees them in the text, '[3], [4]' (not a Python list, '[3, 4]')."""
    return ", ".join(f"[{n}]" for n in sorted(set(numbers)))


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
                Finding(
                    mention,
                    "wrong_citation",
                    say("finding_cited_elsewhere", cited=citation_list(cited), right=right),
                    right,
                )
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
