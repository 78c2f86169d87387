"""No code path executes text from an LLM or a CSV: the package never calls eval/exec/compile,
never imports a module by a computed name and never runs a subprocess or pickle."""

import ast
from pathlib import Path

import finscribe_orchestrator

BUILTINS = {"eval", "exec", "compile", "__import__", "breakpoint"}  # called by bare name
METHODS = {"import_module", "system", "popen", "run_path", "literal_eval"}  # called on a module
FORBIDDEN_MODULES = {"subprocess", "pickle", "marshal", "importlib", "os"}


def test_no_dynamic_execution_in_the_package() -> None:
    root = Path(finscribe_orchestrator.__file__).parent
    offenders = []
    for path in root.rglob("*.py"):
        if "testing" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                if isinstance(node.func, ast.Name) and node.func.id in BUILTINS:
                    offenders.append(f"{path.name}:{node.lineno} {node.func.id}")
                if isinstance(node.func, ast.Attribute) and node.func.attr in METHODS:
                    offenders.append(f"{path.name}:{node.lineno} {node.func.attr}")
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                offenders += [
                    f"{path.name}:{node.lineno} import {n}" for n in names if n.split(".")[0] in FORBIDDEN_MODULES
                ]
    assert offenders == []
