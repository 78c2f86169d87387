"""The `finscribe` command: run services (`serve`, `up`) and, as a client, use a gateway."""

import argparse
import sys
from collections.abc import Sequence

from finscribe_common.cli import numbers, serve, up

COMMANDS = (serve, up, numbers)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="finscribe", description="FinScribe services and command-line client")
    sub = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.register(sub)
    try:  # the gateway client commands live beside the services they use
        from finscribe_common.cli import client
    except ImportError:
        pass
    else:
        client.register_all(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    result = args.handler(args)
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())
