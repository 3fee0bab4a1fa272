"""A body limit on every endpoint of feedbackwidget, and its 413 answers.

A guest sets nothing global: the host's ``MAX_CONTENT_LENGTH`` is left alone.
Flask 3.1 lets a request carry its own ``max_content_length``; it is set before
anything reads the body, for feedbackwidget's own blueprints only:
``FEEDBACKWIDGET_MAX_BODY_BYTES`` under the JSON API, ``FEEDBACKWIDGET_MAX_FORM_BYTES``
for the pages and the admin.  A declared ``Content-Length`` over the limit is
refused at once, before a byte of the body is read; a streamed (chunked) body is
read no further than one byte past the limit.  The JSON API answers
``413 {"code": "payload_too_large", ...}``; a page answers with a short HTML page in
the visitor's language (``feedbackwidget/too_large.html``, which a host may override).
"""

from __future__ import annotations

from flask import Blueprint, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from ..core import config
from .errors import PayloadTooLarge
from ..delivery.mail import translator
from .unavailable import visitor_locale

TEMPLATE = "feedbackwidget/too_large.html"


def is_api_request(blueprint: Blueprint) -> bool:
    """Whether the request is one of the JSON API's (mounted under *blueprint* as ``api``)."""
    return f"{blueprint.name}.api" in request.blueprints


def limit_request_body(blueprint: Blueprint) -> None:
    """Set this request's body limit; refuse a body declared larger at once.

    :raises RequestEntityTooLarge: when ``Content-Length`` is over the limit.
    """
    declared = request.content_length
    if declared is None and not _streamed():
        return  # no body at all (every page view of the widget and the config): nothing to limit
    api_request = is_api_request(blueprint)
    limit = int(current_app.config[config.MAX_BODY_BYTES if api_request else config.MAX_FORM_BYTES])
    if declared is not None and declared > limit:
        raise RequestEntityTooLarge()
    # A streamed (chunked) body is cut off one byte past the limit, so that passing it shows: werkzeug's
    # form parser reads up to the cut-off without complaint. The API's JSON reader checks the length itself.
    request.max_content_length = limit + 1
    if declared is None and not api_request and len(request.get_data(cache=True)) > limit:
        raise RequestEntityTooLarge()


def _streamed() -> bool:
    """Whether the body comes without a length (chunked): only then is there anything to read up front."""
    return "chunked" in request.headers.get("Transfer-Encoding", "").lower()


def too_large_page() -> Response:
    """The 413 page, in the visitor's language."""
    locale = visitor_locale()
    body = current_app.jinja_env.get_template(TEMPLATE).render(locale=locale, _=translator(locale), code=413)
    response = Response(body, status=413, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


def register(blueprint: Blueprint) -> None:
    """Limit the body of every request to *blueprint* (and its children); answer 413 as JSON
    under the API, as a page elsewhere."""

    def before_request() -> None:
        limit_request_body(blueprint)

    def answer(error: RequestEntityTooLarge) -> Response:
        return PayloadTooLarge().get_response() if is_api_request(blueprint) else too_large_page()

    blueprint.before_request(before_request)
    blueprint.register_error_handler(RequestEntityTooLarge, answer)
