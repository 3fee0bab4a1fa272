"""``.. config-reference::``: every setting of ``feedbackwidget/core/config.py`` with its default and
the comment written above it there, so the reference has one source, the code."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx.application import Sphinx

import feedbackwidget.core.config as config


def _constant_names(tree: ast.Module) -> dict[str, str]:
    """``{"URL_PREFIX": "FEEDBACKWIDGET_URL_PREFIX", ...}`` from the module's assignments."""
    names = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    names[target.id] = node.value.value
    return names


def _defaults_dict(tree: ast.Module) -> ast.Dict:
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", None) == "DEFAULTS":
            assert isinstance(node.value, ast.Dict)
            return node.value
    raise RuntimeError("feedbackwidget/core/config.py has no DEFAULTS dict")


def _comment_above(lines: list[str], lineno: int) -> str:
    """The ``#`` comment lines directly above line *lineno* (1-based), joined."""
    found: list[str] = []
    index = lineno - 2
    while index >= 0 and lines[index].strip().startswith("#"):
        found.insert(0, lines[index].strip().lstrip("#").strip())
        index -= 1
    return " ".join(found)


def settings() -> list[tuple[str, str, str]]:
    """``(key, default, description)`` of each setting, in the order of ``config.py``.

    :raises ValueError: for a key without a comment of its own, naming it (the build fails).
    """
    source = Path(config.__file__).read_text(encoding="utf-8")
    tree, lines = ast.parse(source), source.splitlines()
    names = _constant_names(tree)
    rows = []
    for key_node in _defaults_dict(tree).keys:
        assert isinstance(key_node, ast.Name)
        key, description = names[key_node.id], _comment_above(lines, key_node.lineno)
        if not description:
            raise ValueError(f"{key} has no comment in feedbackwidget/core/config.py: write one line above it")
        rows.append((key, repr(config.DEFAULTS[key]), description))
    return rows


class ConfigReference(Directive):
    has_content = False

    def run(self) -> list[Any]:
        table = nodes.table(classes=["config-reference"])
        group = nodes.tgroup(cols=3)
        table += group
        for width in (30, 18, 52):
            group += nodes.colspec(colwidth=width)
        head = nodes.thead()
        head += _row(("Setting", "Default", "Meaning"))
        group += head
        body = nodes.tbody()
        for key, default, description in settings():
            body += _row((key, default, description or "—"), literal=(0, 1))
        group += body
        return [table]


def _row(cells: tuple[str, ...], literal: tuple[int, ...] = ()) -> nodes.row:
    row = nodes.row()
    for index, text in enumerate(cells):
        entry = nodes.entry()
        paragraph = nodes.paragraph()
        paragraph += nodes.literal(text=text) if index in literal else nodes.Text(text)
        entry += paragraph
        row += entry
    return row


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("config-reference", ConfigReference)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
