"""Score the number reader against the hand-written evaluation set: `python -m finscribe_common.numbers.evaluate`.

The set (common/tests/numbers/eval/strings.tsv) is tab-separated: text, header (a table or
column unit header, or empty), kind, value (signed, base units: KRW, USD, percent points,
times, count), sign (-1/0/1 as written), qualifier (약, 대, ~, 이상 …, or empty), high (the
upper end of a range or '대', or empty). Lines starting with '#' are comments. A case passes
when the string is read whole (as a cell, and inside a sentence unless it is a cell-only form
such as '(1,234)' or has a header) with exactly that kind, value, sign, qualifier and high.
"""

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from finscribe_common.numbers.scan import Mention, extract_numbers, parse_quantity

DEFAULT_SET = Path(__file__).resolve().parents[3] / "tests" / "numbers" / "eval" / "strings.tsv"


@dataclass(frozen=True)
class Case:
    line: int
    text: str
    header: str
    kind: str
    value: float
    sign: int
    qualifier: str
    high: float | None


def load(path: Path = DEFAULT_SET) -> list[Case]:
    cases = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        fields = raw.split("\t")
        fields += [""] * (7 - len(fields))
        text, header, kind, value, sign, qualifier, high = fields[:7]
        cases.append(
            Case(number, text, header, kind, float(value), int(sign or 0), qualifier, float(high) if high else None)
        )
    return cases


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _problem(case: Case, mention: Mention | None, where: str) -> str | None:
    if mention is None:
        return f"{where}: not read"
    high = mention.high if mention.qualifier in ("~", "대") else None
    got = (mention.kind, mention.value, mention.sign, mention.qualifier, high)
    want = (case.kind, case.value, case.sign, case.qualifier, case.high)
    if got[0] != want[0] or got[2:4] != want[2:4] or not _same(got[1], want[1]) or not _same(got[4], want[4]):
        return f"{where}: got {got}, want {want}"
    return None


def check(case: Case) -> str | None:
    """None when the case passes, else what went wrong."""
    problem = _problem(case, parse_quantity(case.text, case.header), "cell")
    if problem or case.header or case.text.startswith("("):
        return problem
    sentence = f"보고서에 따르면 {case.text} 입니다."
    found = [m for m in extract_numbers(sentence) if m.kind != "date"]
    if len(found) != 1 or found[0].raw != case.text:
        return f"sentence: read {[m.raw for m in found]}"
    return _problem(case, found[0], "sentence")


def run(path: Path = DEFAULT_SET) -> tuple[int, int, list[str]]:
    cases = load(path)
    failures = [f"line {c.line} {c.text!r}: {p}" for c in cases if (p := check(c)) is not None]
    return len(cases) - len(failures), len(cases), failures


def score(argv: list[str], default: Path, run_set: Callable[[Path], tuple[int, int, list[str]]], label: str) -> int:
    """Run an evaluation set (argv[1] or `default`), print each failure and the accuracy; 0 only at 100 %."""
    path = Path(argv[1]) if len(argv) > 1 else default
    passed, total, failures = run_set(path)
    for failure in failures:
        print(failure)
    print(f"{label}: {passed}/{total} right ({passed / total:.1%})")
    return 0 if passed == total else 1


def main(argv: list[str]) -> int:
    return score(argv, DEFAULT_SET, run, "Korean number strings")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
