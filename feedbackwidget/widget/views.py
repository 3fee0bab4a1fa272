"""Public pages: the widget script (strongly cached), the health check and the demo shop."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from functools import lru_cache

from flask import Blueprint, Response, abort, render_template, request, url_for
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ..extension import get_state
from ..resources import package_folder

widget = Blueprint("widget", __name__)

SHORT_MAX_AGE = 300
IMMUTABLE_MAX_AGE = 365 * 24 * 3600


CSS_PLACEHOLDER = '"__FW_CSS__"'


@dataclass(frozen=True)
class Asset:
    body: bytes
    version: str


def compact(source: str) -> str:
    """*source* without indentation, blank lines and whole-line comments.

    Only whole lines are dropped, so strings and regular expressions are never
    touched; widget.js is written so that this is safe (no multi-line strings).
    """
    kept: list[str] = []
    in_comment = False
    for line in (raw.strip() for raw in source.splitlines()):
        if in_comment or line.startswith("/*"):
            in_comment = "*/" not in line
            continue
        if line and not line.startswith("//"):
            kept.append(line)
    return "\n".join(kept) + "\n"


def build_widget_script(script: str, stylesheet: str) -> str:
    """widget.js as served: compacted, with widget.css inside it as a string."""
    css = " ".join(compact(stylesheet).split())
    return compact(script).replace(CSS_PLACEHOLDER, json.dumps(css), 1)


@lru_cache(maxsize=8)
def _load_asset(script_path: str, css_path: str, mtimes: tuple[float, float]) -> Asset:
    with open(script_path, encoding="utf-8") as script, open(css_path, encoding="utf-8") as css:
        body = build_widget_script(script.read(), css.read()).encode()
    return Asset(body, hashlib.sha256(body).hexdigest()[:12])


def widget_asset() -> Asset:
    """widget.js as served now (rebuilt when widget.js or widget.css changes on disk)."""
    folder = package_folder("static")
    paths = os.path.join(folder, "widget.js"), os.path.join(folder, "widget.css")
    return _load_asset(*paths, (os.path.getmtime(paths[0]), os.path.getmtime(paths[1])))


def _script_response(asset: Asset, max_age: int, immutable: bool) -> Response:
    response = Response(asset.body, mimetype="text/javascript")
    response.set_etag(asset.version)
    response.cache_control.public = True
    response.cache_control.max_age = max_age
    if immutable:
        response.cache_control.immutable = True
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response.make_conditional(request)  # type: ignore[return-value]


@widget.get("/widget.js")
def widget_js() -> Response:
    """The embeddable script; cached briefly so that updates reach every shop soon."""
    return _script_response(widget_asset(), SHORT_MAX_AGE, immutable=False)


@widget.get("/widget.<version>.js")
def widget_js_versioned(version: str) -> Response:
    """The script under its content version: cached for a year."""
    asset = widget_asset()
    if version != asset.version:
        abort(404)
    return _script_response(asset, IMMUTABLE_MAX_AGE, immutable=True)


@widget.get("/healthz")
def healthz() -> tuple[dict[str, str], int]:
    """200 when the database answers, 503 otherwise."""
    try:
        with get_state().engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return {"status": "unavailable", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}, 200


@widget.get("/demo")
@widget.get("/demo/<site_key>")
def demo_shop(site_key: str | None = None) -> str:
    """A sample shop page that embeds the widget of the demo site (or of *site_key*)."""
    from ..demo import DEMO_SITE_NAME, find_site_key

    key = site_key or find_site_key(get_state().session(), DEMO_SITE_NAME)
    if key is None:
        abort(404, description="No demo site: run 'flask --app feedbackwidget feedbackwidget demo' first.")
    return render_template(
        "feedbackwidget/demo_shop.html", site_key=key, widget_url=url_for("feedbackwidget.widget.widget_js")
    )
