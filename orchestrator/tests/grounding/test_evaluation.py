"""The evaluation set of sentences with data and verdicts (eval/sentences.json) is judged 100 % right."""

import json

from finscribe_orchestrator.grounding.evaluate import DEFAULT_SET, run


def test_the_set_has_every_verdict() -> None:
    cases = json.loads(DEFAULT_SET.read_text(encoding="utf-8"))["cases"]
    assert len(cases) >= 60
    verdicts = {c["verdict"] for c in cases}
    assert verdicts == {
        "supported",
        "supported_uncited",
        "unsupported",
        "wrong_sign",
        "wrong_direction",
        "percent_unit",
        "wrong_unit",
        "wrong_citation",
    }


def test_every_sentence_gets_the_right_verdict() -> None:
    passed, total, failures = run()
    assert failures == [] and passed == total
