"""The environment-variable tables and `.env.example`, generated from the settings classes.

Every variable is described once, by its field (`Field(description=...)`); this module writes
the tables between `<!-- settings:<group> -->` and `<!-- /settings:<group> -->` in the root
README and each service's README, and the generated part of `.env.example` (everything above
`DEPLOYMENT_MARKER`, below which the hand-written deployment variables stay).

    python -m finscribe_common.settings_docs --write   # rewrite the files
    python -m finscribe_common.settings_docs           # exit 1 and name the stale files

A development tool: it imports every service's settings class by name (`SETTINGS_CLASSES`), so
it runs where all packages are installed (the repository's `.venv`).
"""

import argparse
import datetime as dt
import importlib
import re
import sys
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from pydantic import SecretStr
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined
from pydantic_settings import BaseSettings

from finscribe_common.services import SERVICES, START_ORDER
from finscribe_common.settings import env_names

SHARED = "shared"
DEPLOYMENT_MARKER = "# --- deployment (infra/README.md)"


@dataclass(frozen=True)
class Group:
    """One table: a service's own variables (or the kit's, `shared`) and where they are documented."""

    name: str
    classes: tuple[str, ...]  # "module:Class"
    readme: str  # relative to the repository root

    def load(self) -> list[type[BaseSettings]]:
        loaded = []
        for path in self.classes:
            module, name = path.split(":")
            loaded.append(getattr(importlib.import_module(module), name))
        return loaded


SETTINGS_CLASSES: dict[str, Group] = {
    SHARED: Group(
        SHARED,
        ("finscribe_common.settings:ServiceSettings", "finscribe_common.settings:ServiceUrls"),
        "README.md",
    ),
    **{
        name: Group(name, (SERVICES[name].settings,), SERVICES[name].readme)
        for name in ("gateway", "orchestrator", "krx", "dart", "yahoo", "rag", "llm-router")
    },
}


@dataclass(frozen=True)
class Variable:
    """`names`: every environment variable the field reads, the documented one first."""

    names: tuple[str, ...]
    field: str
    default: str  # as written in .env (empty when unset)
    description: str
    secret: bool
    # the default is a file shipped inside a package (`default` names it from the package
    # down): documented, never assigned in .env.example, whose value would be one checkout's path
    packaged: bool = False

    @property
    def name(self) -> str:
        return self.names[0]


def packaged_path(value: object) -> str | None:
    """A default file that ships inside a FinScribe package, named from the package down
    (`finscribe_llm_router/routes.yaml`); None for any other value. Its absolute path is
    different in every checkout and image, so the generated docs must not carry it."""
    if not isinstance(value, Path) or not value.is_absolute():
        return None
    parts = value.parts
    for index, part in enumerate(parts):
        if part.startswith("finscribe_"):
            return "/".join(parts[index:])
    return None


def _default(info: FieldInfo) -> str:
    if info.default_factory is not None:
        value = info.default_factory()  # type: ignore[call-arg]
    elif info.default is PydanticUndefined:
        return ""
    else:
        value = info.default
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list | tuple):
        return ",".join(str(item) for item in value)
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, dt.date | Path):
        return packaged_path(value) or str(value)
    return str(value)


def variables(cls: type[BaseSettings], *, own_only: bool = True) -> list[Variable]:
    """The variables of `cls` in declaration order; `own_only`: without those it inherits.

    Raises `ValueError` when a field has no description."""
    inherited: set[str] = set()
    if own_only:
        for base in cls.__mro__[1:]:
            fields = getattr(base, "model_fields", None)
            if isinstance(fields, dict) and base is not BaseSettings:
                inherited |= set(fields)
    found = []
    for field, info in cls.model_fields.items():
        if field in inherited:
            continue
        if not info.description:
            raise ValueError(f"{cls.__name__}.{field} has no Field(description=...)")
        secret = "SecretStr" in repr(info.annotation) or info.annotation is SecretStr
        packaged = packaged_path(info.default) is not None
        found.append(
            Variable(
                names=env_names(cls, field),
                field=field,
                default="" if secret else _default(info),
                description=" ".join(info.description.split()),
                secret=secret,
                packaged=packaged,
            )
        )
    return found


def group_variables(group: Group) -> list[Variable]:
    return [var for cls in group.load() for var in variables(cls, own_only=group.name != SHARED)]


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def table(found: Sequence[Variable]) -> str:
    lines = ["| variable | default | meaning |", "|---|---|---|"]
    for var in found:
        names = ", ".join(f"`{name}`" for name in var.names)
        default = "(secret)" if var.secret else (f"`{var.default}`" if var.default else "(unset)")
        if var.packaged:
            default += " (shipped in the package)"
        lines.append(f"| {names} | {default} | {_cell(var.description)} |")
    return "\n".join(lines)


def _shared_section() -> str:
    """The root README: the kit's variables in full, then where each service's own are."""
    index = ["", "| service | its own variables (table in its README) |", "|---|---|"]
    for name in START_ORDER:
        group = SETTINGS_CLASSES[name]
        names = ", ".join(f"`{var.name}`" for var in group_variables(group))
        index.append(f"| [{name}]({group.readme}) | {names} |")
    return table(group_variables(SETTINGS_CLASSES[SHARED])) + "\n" + "\n".join(index)


def readme_section(group: Group) -> str:
    if group.name == SHARED:
        return _shared_section()
    return table(group_variables(group))


def replace_between_markers(text: str, name: str, body: str) -> str:
    """`text` with the part between `<!-- settings:name -->` and `<!-- /settings:name -->`
    replaced by `body`. Raises `ValueError` when the markers are missing."""
    begin, end = f"<!-- settings:{name} -->", f"<!-- /settings:{name} -->"
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.DOTALL)
    if not pattern.search(text):
        raise ValueError(f"no {begin} ... {end} markers")
    generated = f"{begin}\n<!-- generated by `python -m finscribe_common.settings_docs --write` -->\n{body}\n{end}"
    return pattern.sub(lambda _: generated, text, count=1)


ENV_HEADER = """\
# FinScribe configuration. Every service reads environment variables (and an optional .env
# in its working directory). `make run` needs none of these: it uses embedded defaults
# (SQLite, a local Chroma directory, offline embeddings, dev auth on loopback, a random
# internal token). For production copy this file to infra/.env and fill in the secrets.
# Generated from the settings classes (python -m finscribe_common.settings_docs --write)
# down to the deployment section; edit a variable's Field(description=...), not this file.
"""


def _comment(text: str) -> list[str]:
    return ["# " + line for line in textwrap.wrap(text, 96, break_long_words=False, break_on_hyphens=False)]


def env_example(current: str) -> str:
    """The whole `.env.example`: the generated part, then `current`'s deployment section."""
    out = [ENV_HEADER]
    for name, group in SETTINGS_CLASSES.items():
        title = "every service (shared kit)" if name == SHARED else f"{name} ({group.readme})"
        out.append(f"# --- {title} ".ljust(88, "-"))
        for var in group_variables(group):
            out.extend(_comment(var.description))
            if var.packaged:
                out.extend(_comment(f"(unset: {var.default}, shipped in the package)"))
            assignment = f"{var.name}={var.default}"
            out.append(assignment if var.default and not var.secret and not var.packaged else f"# {var.name}=")
        out.append("")
    start = current.find(DEPLOYMENT_MARKER)
    tail = current[start:] if start >= 0 else DEPLOYMENT_MARKER + " ".ljust(50, "-") + "\n"
    return "\n".join(out) + tail


def targets(root: Path) -> dict[Path, str]:
    """Every generated file and the text it must hold."""
    wanted: dict[Path, str] = {}
    for group in SETTINGS_CLASSES.values():
        path = root / group.readme
        text = wanted.get(path) or path.read_text(encoding="utf-8")
        wanted[path] = replace_between_markers(text, group.name, readme_section(group))
    env = root / ".env.example"
    wanted[env] = env_example(env.read_text(encoding="utf-8"))
    return wanted


def stale(root: Path) -> list[Path]:
    return [path for path, text in targets(root).items() if path.read_text(encoding="utf-8") != text]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m finscribe_common.settings_docs", description=__doc__)
    parser.add_argument("--write", action="store_true", help="rewrite the tables and .env.example")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the repository root (default: here)")
    args = parser.parse_args(argv)
    if args.write:
        for path, text in targets(args.root).items():
            path.write_text(text, encoding="utf-8")
        return 0
    out_of_date = stale(args.root)
    for path in out_of_date:
        print(f"{path} is out of date: run python -m finscribe_common.settings_docs --write", file=sys.stderr)
    return 1 if out_of_date else 0


if __name__ == "__main__":
    sys.exit(main())
