"""Public pages: the widget's scripts (strongly cached), the health check and the demo shop."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from ...core.state import get_state
from ...migrations import VERSION_TABLE
from .assets import Asset, widget_assets
from .encoding import encoded_response, shared_cache_control

widget = Blueprint("widget", __name__)

SHORT_MAX_AGE = 300
IMMUTABLE_MAX_AGE = 365 * 24 * 3600


SHORT_CACHE = shared_cache_control(SHORT_MAX_AGE)
IMMUTABLE_CACHE = shared_cache_control(IMMUTABLE_MAX_AGE, immutable=True)


def _script_response(asset: Asset, immutable: bool) -> Response:
    """The script in the visitor's best encoding, cacheable by browsers and CDNs alike."""
    return encoded_response(asset.encoded, request, IMMUTABLE_CACHE if immutable else SHORT_CACHE)


@widget.get("/widget.js")
def widget_js() -> Response:
    """The embeddable script; cached briefly so that updates reach every shop soon."""
    return _script_response(widget_assets().script, immutable=False)


@widget.get("/widget.<version>.js")
def widget_js_versioned(version: str) -> Response:
    """The script under its content version: cached for a year."""
    asset = widget_assets().script
    if version != asset.version:
        abort(404)
    return _script_response(asset, immutable=True)


@widget.get("/widget-complaint.<version>.js")
def widget_complaint_js(version: str) -> Response:
    """The complaint form's script, fetched by the widget when a visitor first opens the form;
    immutable under its version.

    An older version is answered with the current script, briefly cached, so a page
    loaded just before an update still opens the form.
    """
    return _part_response(widget_assets().complaint, version)


@widget.get("/widget-debug.<version>.js")
def widget_debug_js(version: str) -> Response:
    """The sentences of debug mode, fetched by the widget only on a page whose script tag has
    ``data-debug``; immutable under its version, an older version answered like the complaint form's."""
    return _part_response(widget_assets().debug, version)


def _part_response(asset: Asset, version: str) -> Response:
    current = version == asset.version
    return _script_response(asset, immutable=current)


# A write that changes nothing: feedbackwidget's one schema-version row, rewritten as it is.
HEALTH_WRITE = text(f"UPDATE {VERSION_TABLE} SET version_num = version_num")


@widget.get("/healthz")
def healthz() -> tuple[dict[str, str], int]:
    """200 when the database commits a write, 503 otherwise (down, read-only, disk full, not migrated)."""
    engine = get_state().engine
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return {"status": "unavailable", "database": "unreachable"}, 503
    if not _commits_a_write(engine):
        return {"status": "unavailable", "database": "not writable"}, 503
    return {"status": "ok", "database": "ok"}, 200


def _commits_a_write(engine: Engine) -> bool:
    try:
        with engine.begin() as connection:
            return connection.execute(HEALTH_WRITE).rowcount >= 1
    except SQLAlchemyError:
        current_app.logger.warning("feedbackwidget: /healthz could not write to the database", exc_info=True)
        return False


@widget.get("/demo")
@widget.get("/demo/<site_key>")
def demo_shop(site_key: str | None = None) -> str:
    """A sample shop page that embeds the widget of the demo site (or of *site_key*);
    only where the demo command loaded the demo, else 404."""
    from ...provisioning.demo import allow_demo_origin, demo_site_key

    session = get_state().session()
    demo_key = demo_site_key(session)
    if demo_key is None:
        abort(404, description="No demo site: run 'flask --app feedbackwidget feedbackwidget demo' first.")
    if allow_demo_origin(session, demo_key, f"{request.scheme}://{request.host}"):
        session.commit()
        get_state().sites.invalidate(demo_key)
    key = site_key or demo_key
    return render_template(
        "feedbackwidget/demo_shop.html", site_key=key, widget_url=url_for("feedbackwidget.widget.widget_js")
    )
