"""widget.js as served: one hand-written source file cut into the loader and the dialog, CSS inside.

``static/widget.js`` is a plain ES2017 file that works as it is (the unit tests run it
raw).  For shops it is served as two scripts, without a build step:

- the loader (``/widget.js``): everything except the part between the ``/*@ui*/`` and
  ``/*@ui-end*/`` markers, with the part of ``widget.css`` before its ``/*@ui*/`` marker
  (the button) inside it; this and the site config are all a first paint needs;
- the dialog (``/widget-ui.<version>.js``): the marked part, with the rest of the CSS,
  which the loader fetches once the button is painted.

Both are compacted: indentation, blank lines and whole-line comments go (only whole
lines, so strings and regular expressions are never touched).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from functools import lru_cache

from ..resources import package_folder

UI_START, UI_END = "/*@ui*/", "/*@ui-end*/"
CSS_PLACEHOLDER = '"__FW_CSS__"'
UI_PLACEHOLDER = '"__FW_UI__"'
UI_REGISTER = "if (window.FeedbackWidget && window.FeedbackWidget._register) window.FeedbackWidget._register(createUi, {css});"


@dataclass(frozen=True)
class Asset:
    body: bytes
    version: str


@dataclass(frozen=True)
class WidgetAssets:
    loader: Asset
    ui: Asset


def compact(source: str) -> str:
    """*source* without indentation, blank lines and whole-line comments."""
    kept: list[str] = []
    in_comment = False
    for line in (raw.strip() for raw in source.splitlines()):
        if in_comment or line.startswith("/*"):
            in_comment = "*/" not in line
            continue
        if line and not line.startswith("//"):
            kept.append(line)
    return "\n".join(kept) + "\n"


def _css(text: str) -> str:
    return json.dumps(" ".join(compact(text).split()), ensure_ascii=False)


def _asset(source: str) -> Asset:
    body = source.encode()
    return Asset(body, hashlib.sha256(body).hexdigest()[:12])


def build_widget(script: str, stylesheet: str) -> WidgetAssets:
    """The loader and the dialog script built from widget.js and widget.css.

    :raises RuntimeError: when a marker is missing from either file.
    """
    if script.count(UI_START) != 1 or script.count(UI_END) != 1 or stylesheet.count(UI_START) != 1:
        raise RuntimeError(f"widget.js needs one {UI_START} ... {UI_END} pair and widget.css one {UI_START}: restore them")
    before, rest = script.split(UI_START)
    ui_code, after = rest.split(UI_END)
    button_css, dialog_css = stylesheet.split(UI_START)
    ui = _asset('(function () {\n"use strict";\n' + compact(ui_code) + UI_REGISTER.format(css=_css(dialog_css)) + "\n})();\n")
    loader = compact(before + after).replace(CSS_PLACEHOLDER, _css(button_css), 1)
    return WidgetAssets(_asset(loader.replace(UI_PLACEHOLDER, json.dumps(f"widget-ui.{ui.version}.js"), 1)), ui)


@lru_cache(maxsize=8)
def _load(script_path: str, css_path: str, mtimes: tuple[float, float]) -> WidgetAssets:
    with open(script_path, encoding="utf-8") as script, open(css_path, encoding="utf-8") as css:
        return build_widget(script.read(), css.read())


def widget_assets() -> WidgetAssets:
    """The served scripts as of now (rebuilt when widget.js or widget.css changes on disk)."""
    folder = package_folder("static")
    paths = os.path.join(folder, "widget.js"), os.path.join(folder, "widget.css")
    return _load(*paths, (os.path.getmtime(paths[0]), os.path.getmtime(paths[1])))
