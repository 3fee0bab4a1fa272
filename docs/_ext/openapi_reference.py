"""``.. openapi-reference::``: the public JSON API rendered from the OpenAPI document the server
serves (``feedbackwidget/openapi.json``), so the reference and the API cannot drift apart."""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx.application import Sphinx

METHODS = ("get", "post", "put", "patch", "delete")


def load_document() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(files("feedbackwidget").joinpath("openapi.json").read_text("utf-8"))
    return document


def _paragraph(text: str, literal: bool = False) -> nodes.paragraph:
    paragraph = nodes.paragraph()
    paragraph += nodes.literal(text=text) if literal else nodes.Text(text)
    return paragraph


def _resolve(document: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    reference = item.get("$ref")
    if not reference:
        return item
    node: Any = document
    for part in reference.lstrip("#/").split("/"):
        node = node[part]
    resolved: dict[str, Any] = node
    return resolved


def _bullets(lines: list[tuple[str, str]]) -> nodes.bullet_list:
    bullets = nodes.bullet_list()
    for code, text in lines:
        item = nodes.list_item()
        paragraph = nodes.paragraph()
        paragraph += nodes.literal(text=code)
        paragraph += nodes.Text(f": {text}" if text else "")
        item += paragraph
        bullets += item
    return bullets


def operation_section(document: dict[str, Any], base: str, path: str, method: str, operation: dict[str, Any],
                      ids: set[str]) -> nodes.section:
    title = f"{method.upper()} {base}{path}"
    section = nodes.section(ids=[operation.get("operationId", title).lower()])
    section += nodes.title(text=title)
    section += _paragraph(operation.get("summary", ""))
    if operation.get("description"):
        section += _paragraph(operation["description"])
    parameters = [_resolve(document, p) for p in operation.get("parameters", [])]
    if parameters:
        section += _paragraph("Parameters:")
        section += _bullets([(f"{p['name']} ({p['in']})", p.get("description", "")) for p in parameters])
    body = operation.get("requestBody", {}).get("content", {})
    for media, content in body.items():
        schema = content.get("schema", {}).get("$ref", "").rsplit("/", 1)[-1]
        section += _paragraph(f"Body: {media}" + (f", schema {schema}" if schema else ""))
    answers = operation.get("responses", {})
    section += _paragraph("Answers:")
    section += _bullets([(status, _resolve(document, answer).get("description", ""))
                         for status, answer in answers.items()])
    return section


class OpenApiReference(Directive):
    has_content = False

    def run(self) -> list[Any]:
        document = load_document()
        base = "/feedback/api" if not document.get("servers") else document["servers"][0]["url"]
        sections: list[Any] = []
        ids: set[str] = set()
        for path, item in document["paths"].items():
            for method in METHODS:
                if method in item:
                    sections.append(operation_section(document, base, path, method, item[method], ids))
        return sections


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("openapi-reference", OpenApiReference)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
