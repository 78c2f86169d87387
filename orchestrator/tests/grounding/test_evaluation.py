"""The evaluation set of sentences with data and verdicts (eval/sentences.json) is judged 100 % right."""

import json

from finscribe_orchestrator.grounding.check import FINDINGS
from finscribe_orchestrator.grounding.evaluate import DEFAULT_SET, run


def test_the_set_has_every_verdict() -> None:
    cases = json.loads(DEFAULT_SET.read_text(encoding="utf-8"))["cases"]
    assert len(cases) >= 60
    assert {c["verdict"] for c in cases} == {"supported", "supported_uncited", *FINDINGS}


def test_every_sentence_gets_the_right_verdict() -> None:
    passed, total, failures = run()
    assert failures == [] and passed == total
