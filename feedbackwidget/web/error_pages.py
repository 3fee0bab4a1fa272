"""The HTML pages' 404 and 410 answers: a page of the design system in the visitor's language.

Registered on feedbackwidget's own blueprint only, like the 503 page (a plugin is a guest: the host
app's own 404 stays the host's).  The JSON API and the order hooks answer their own errors first (their
handlers are nearer the view).  Like the 503 page, nothing here reads the database or the admin's
template context: the page is rendered through the Jinja environment, from
``feedbackwidget/not_found.html`` and ``feedbackwidget/gone.html``, which a host may override.
A view that shows its own 404 page (the complaint status page's) keeps it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from flask import Blueprint, current_app, has_request_context, request, url_for
from werkzeug.exceptions import Gone, HTTPException, NotFound
from werkzeug.wrappers import Response

from ..delivery.mail import translator
from .unavailable import visitor_locale

TEMPLATES = {404: "feedbackwidget/not_found.html", 410: "feedbackwidget/gone.html"}


def home_link() -> str | None:
    """Where to go on from an error page: the admin's start page under the admin, else nowhere
    (a public page's visitor came from a shop whose address this page does not know)."""
    if any(name.startswith("feedbackwidget.admin") for name in request.blueprints):
        return url_for("feedbackwidget.admin.dashboard")
    return None


def nearer_handler() -> Callable[[HTTPException], Any] | None:
    """A child blueprint's own handler of every HTTP error (the JSON API's, the order hooks'): Flask
    tries a handler registered by status code (this module's) before one registered for HTTPException,
    however near, so a ``NotFound`` raised under the API would otherwise get an HTML page."""
    for name in request.blueprints[:-1]:  # nearest first; the last is feedbackwidget's own
        handler = current_app.error_handler_spec.get(name, {}).get(None, {}).get(HTTPException)
        if handler is not None:
            return cast(Callable[[HTTPException], Any], handler)
    return None


def error_page(error: HTTPException) -> Response:
    """The 404 or 410 page of *error*, in the visitor's language (a child's own answer under the API)."""
    own = nearer_handler() if has_request_context() else None
    if own is not None:
        return cast(Response, current_app.make_response(own(error)))
    code = error.code if error.code in TEMPLATES else 404
    locale = visitor_locale()
    template = current_app.jinja_env.get_template(TEMPLATES[code])
    body = template.render(locale=locale, _=translator(locale), code=code, home_url=home_link())
    response = Response(body, status=code, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


def register(blueprint: Blueprint) -> None:
    """Answer a 404 or 410 raised in *blueprint*'s pages (``abort(404)``) with :func:`error_page`."""
    blueprint.register_error_handler(NotFound, error_page)
    blueprint.register_error_handler(Gone, error_page)
