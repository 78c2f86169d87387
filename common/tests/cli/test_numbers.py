"""`finscribe numbers`: the reading of each number, as text and as JSON."""

import json

from finscribe_common.cli import main


def test_numbers_prints_each_reading(capsys) -> None:
    assert main(["numbers", "반기순이익은 16조 5천9백6십억원, 영업이익 △17조 499억원, +10.62%p"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "16조 5천9백6십억원\tamount\t16,596,000,000,000\t16.6조원",
        "△17조 499억원\tamount\t-17,049,900,000,000\t-17.0조원",
        "+10.62%p\tpp\t10.62\t+10.62%p",
    ]


def test_numbers_json_gives_bounds_and_qualifiers(capsys) -> None:
    assert main(["numbers", "--json", "약 3천억원, 2024년 6월 30일"]) == 0
    approx, date = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert approx["value"] == 300_000_000_000 and approx["qualifier"] == "약"
    low, high = approx["matches"]
    assert low < 291_000_000_000 and high > 309_000_000_000  # 3 % either way, plus the display step
    assert date == {"text": "2024년 6월 30일", "kind": "date", "date": "2024-06-30"}
