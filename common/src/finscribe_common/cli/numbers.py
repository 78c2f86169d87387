"""`finscribe numbers TEXT`: how FinScribe reads every number of a text (offline, no gateway).

An analyst can see why a figure was or was not matched: kind, signed value in base units,
the house-style reading, the written sign and the bounds its qualifiers allow.
"""

import argparse
import json
import sys

from finscribe_common.numbers import Mention, extract_numbers, num, pct, pp, times, won


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = sub.add_parser("numbers", help="show how every number in a text is read (offline)")
    parser.add_argument("text", nargs="*", help="the text (or stdin)")
    parser.add_argument("--json", action="store_true", help="one JSON object per number")
    parser.set_defaults(handler=run)


def house(mention: Mention) -> str:
    """The figure in the house style: 16.6조원, -3.20%, +10.62%p, 2.50배."""
    value = mention.value or 0.0
    if mention.kind == "amount" and mention.currency in ("", "KRW"):
        return won(value)
    if mention.kind == "percent":
        return pct(value, signed=bool(mention.sign))
    if mention.kind == "pp":
        return pp(value)
    if mention.kind == "multiple":
        return times(value)
    return num(value) + (f" {mention.currency}" if mention.currency else "")


def describe(mention: Mention) -> dict[str, object]:
    if mention.kind == "date":
        return {"text": mention.raw, "kind": "date", "date": mention.date}
    low, high = mention.magnitude_bounds()
    return {
        "text": mention.raw,
        "kind": mention.kind,
        "value": mention.value,
        "reads_as": house(mention),
        "sign": mention.sign,
        "currency": mention.currency,
        "qualifier": mention.qualifier,
        "matches": [low, high],
    }


def _plain(value: float) -> str:
    """The exact value with separators: 16,596,000,000,000 or 10.62."""
    return num(value) if value == int(value) else f"{value:,.6f}".rstrip("0").rstrip(".")


def run(args: argparse.Namespace) -> int:
    text = " ".join(args.text) if args.text else sys.stdin.read()
    for mention in extract_numbers(text):
        info = describe(mention)
        if args.json:
            print(json.dumps(info, ensure_ascii=False))
        elif mention.kind == "date":
            print(f"{mention.raw}\tdate\t{mention.date}")
        else:
            extra = f"\t{mention.qualifier}" if mention.qualifier else ""
            print(f"{mention.raw}\t{mention.kind}\t{_plain(mention.value or 0.0)}\t{info['reads_as']}{extra}")
    return 0
