"""The HTML pages' answer when the database fails: a 503 page in the visitor's language.

Registered on feedbackwidget's own blueprint only (the JSON API answers its own
JSON 503 first), so a host app's errors stay the host's.  The page is rendered
without the database and without the admin's template context (which reads the
logged-in account): through the Jinja environment, from
``feedbackwidget/unavailable.html``, which a host may override.
"""

from __future__ import annotations

from flask import Blueprint, current_app, request
from sqlalchemy.exc import OperationalError
from werkzeug.wrappers import Response

from ..core import config
from .admin.locale import COOKIE_NAME
from .api.views import RETRY_AFTER_SECONDS
from ..delivery.mail import translator
from ..core.i18n import negotiate_locale

TEMPLATE = "feedbackwidget/unavailable.html"


def visitor_locale() -> str:
    """``?lang=``, the admin's language cookie, Accept-Language, FEEDBACKWIDGET_DEFAULT_LOCALE."""
    accepted = [tag for tag, _ in request.accept_languages]
    candidates = [request.args.get("lang"), request.cookies.get(COOKIE_NAME), *accepted]
    return negotiate_locale(candidates, current_app.config[config.DEFAULT_LOCALE])


def database_unavailable(error: Exception) -> Response:
    """The 503 page, with ``Retry-After``; the fault is logged."""
    current_app.logger.error("feedbackwidget: database unavailable", exc_info=error)
    locale = visitor_locale()
    template = current_app.jinja_env.get_template(TEMPLATE)
    body = template.render(locale=locale, _=translator(locale), code=503)
    response = Response(body, status=503, mimetype="text/html")
    response.headers["Retry-After"] = RETRY_AFTER_SECONDS
    response.headers["Cache-Control"] = "no-store"
    return response


def register(blueprint: Blueprint) -> None:
    """Answer database faults (connection refused or lost, disk full, read-only database: the
    driver's OperationalError, as the JSON API) of *blueprint*'s pages with :func:`database_unavailable`."""
    blueprint.register_error_handler(OperationalError, database_unavailable)
