"""The widget's scripts as served: the committed build of static/widget.js, named by content.

``static/widget.js`` (with ``static/widget.css``) is the hand-written source; ``npm run build``
(scripts/build-widget.mjs, terser) writes what shops get, and both files are committed, so the
server needs no node:

- ``static/widget.min.js``, served as ``/widget.js``: the whole survey widget with its styles;
- ``static/widget-complaint.min.js``, served as ``/widget-complaint.<version>.js``: the complaint
  form and its styles, which the widget fetches when a visitor first opens that form;
- ``static/widget-debug.min.js``, served as ``/widget-debug.<version>.js``: the sentences of debug
  mode, which the widget fetches only on a page whose script tag has ``data-debug``.

Here the complaint script gets the form's strings in every language (from the translation
catalogs, so the site config need not carry them) and its content version; the widget's script
is then given the two scripts' names in place of its ``__FW_COMPLAINT__`` and ``__FW_DEBUG__``
placeholders.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from ...core.i18n import SUPPORTED_LOCALES
from ...core.resources import package_folder
from .encoding import Encoded
from .strings import FORM_STRINGS, widget_strings

WIDGET_FILE, COMPLAINT_FILE, DEBUG_FILE = "widget.min.js", "widget-complaint.min.js", "widget-debug.min.js"
COMPLAINT_NAME, DEBUG_NAME = "__FW_COMPLAINT__", "__FW_DEBUG__"
STRINGS_PLACEHOLDER = '"__FW_STRINGS__"'
REBUILD = "run 'npm run build' (scripts/build-widget.mjs)"
#: Shops' pages load the scripts from our origin: any page may, none may sniff them as something else.
SCRIPT_HEADERS = {"X-Content-Type-Options": "nosniff", "Cross-Origin-Resource-Policy": "cross-origin",
                  "Access-Control-Allow-Origin": "*"}


@dataclass(frozen=True)
class Asset:
    body: bytes
    version: str
    encoded: Encoded


@dataclass(frozen=True)
class WidgetAssets:
    script: Asset
    complaint: Asset
    debug: Asset


def _asset(source: str) -> Asset:
    body = source.encode()
    version = hashlib.sha256(body).hexdigest()[:8]
    return Asset(body, version, Encoded.of(body, digest=version, mimetype="text/javascript; charset=utf-8",
                                           headers=SCRIPT_HEADERS))


def complaint_form_strings() -> dict[str, dict[str, str]]:
    """``{locale: {name: text}}`` of the strings only the complaint form shows."""
    return {locale: {k: v for k, v in widget_strings(locale).items() if k in FORM_STRINGS} for locale in SUPPORTED_LOCALES}


def build_widget(script: str, complaint: str, debug: str, strings: Mapping[str, Mapping[str, str]]) -> WidgetAssets:
    """The served scripts from the built files and the complaint form's strings.

    :raises RuntimeError: when a placeholder is missing (a build that is not ours, or stale).
    """
    if COMPLAINT_NAME not in script or DEBUG_NAME not in script or complaint.count(STRINGS_PLACEHOLDER) != 1:
        raise RuntimeError(f"{WIDGET_FILE} or {COMPLAINT_FILE} lacks its placeholders: {REBUILD}")
    text = json.dumps(strings, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    form, sentences = _asset(complaint.replace(STRINGS_PLACEHOLDER, text)), _asset(debug)
    named = script.replace(COMPLAINT_NAME, f"widget-complaint.{form.version}.js")
    return WidgetAssets(_asset(named.replace(DEBUG_NAME, f"widget-debug.{sentences.version}.js")), form, sentences)


def _read(path: str) -> str:
    with open(path, encoding="utf-8") as file:
        return file.read()


RECHECK_SECONDS = 1.0
_checked: tuple[float, WidgetAssets] | None = None


@lru_cache(maxsize=8)
def _load(paths: tuple[str, ...], mtimes: tuple[float, ...]) -> WidgetAssets:
    script, complaint, debug = (_read(path) for path in paths)
    return build_widget(script, complaint, debug, complaint_form_strings())


def widget_assets() -> WidgetAssets:
    """The served scripts as of now: the built files are looked at again at most once a
    second (a rebuild reaches a running server that soon), not on every page view."""
    global _checked
    now = time.monotonic()
    if _checked is not None and now - _checked[0] < RECHECK_SECONDS:
        return _checked[1]
    folder = package_folder("static")
    paths = tuple(os.path.join(folder, name) for name in (WIDGET_FILE, COMPLAINT_FILE, DEBUG_FILE))
    if not all(os.path.isfile(path) for path in paths):
        raise RuntimeError(f"the widget is not built: {REBUILD}")
    assets = _load(paths, tuple(os.path.getmtime(path) for path in paths))
    _checked = (now, assets)
    return assets
