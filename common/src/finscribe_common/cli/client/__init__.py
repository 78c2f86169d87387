"""`finscribe draft|paragraph|rewrite|chart|ask|history|upload`: FinScribe without Chrome.

Talks to a gateway (default: the local `make run` stack with dev auth)."""

import argparse

from finscribe_common.cli.client import commands


def register_all(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    commands.register(sub)
