"""Every dependency the package declares is used, and every one it imports is declared."""

from __future__ import annotations

import ast
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent


def imported_modules() -> set[str]:
    """The top-level names of every module the package's code imports."""
    names: set[str] = set()
    for path in (ROOT / "feedbackwidget").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
    return names


def third_party(modules: set[str]) -> set[str]:
    return {name for name in modules if name not in sys.stdlib_module_names and name != "feedbackwidget"}


def declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {Requirement(line).name.lower() for line in project["dependencies"]}


def distribution_of(module: str) -> str:
    return packages_distributions()[module][0].lower()


def test_every_imported_package_is_declared() -> None:
    undeclared = {name for name in third_party(imported_modules()) if distribution_of(name) not in declared()}
    assert undeclared == set(), f"declare these in pyproject.toml [project] dependencies: {sorted(undeclared)}"


def test_every_declared_dependency_is_imported() -> None:
    used = {distribution_of(name) for name in third_party(imported_modules())}
    assert declared() - used == set(), "use these or remove them from pyproject.toml dependencies"
