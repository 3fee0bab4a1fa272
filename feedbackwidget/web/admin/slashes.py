"""Every admin page answers its address with or without a trailing slash, one way.

Each page has one address: a section's index ends with a slash (``/admin/``,
``/admin/complaints/``), every other page has none (``/admin/responses``).  The other
spelling redirects (308, query string kept) to that address: Werkzeug does it for the
indexes, and :func:`redirect_slashed_spellings` adds it for every other page.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, redirect, request
from werkzeug.routing import Rule
from werkzeug.wrappers import Response

SLASHED_SUFFIX = "_slashed"


def redirect_slashed_spellings(app: Flask, endpoint_prefix: str) -> None:
    """Add ``<page>/`` redirecting to ``<page>`` for each GET page whose endpoint starts with *endpoint_prefix*."""
    for rule in list(app.url_map.iter_rules()):
        if _lacks_slashed_spelling(rule, endpoint_prefix):
            app.add_url_rule(rule.rule + "/", endpoint=rule.endpoint + SLASHED_SUFFIX, view_func=drop_trailing_slash,
                             methods=["GET"], subdomain=rule.subdomain, host=rule.host)


def _lacks_slashed_spelling(rule: Rule, endpoint_prefix: str) -> bool:
    return (rule.endpoint.startswith(endpoint_prefix) and "GET" in (rule.methods or ())
            and not rule.rule.endswith("/") and not rule.endpoint.endswith(SLASHED_SUFFIX))


def drop_trailing_slash(**values: Any) -> Response:
    """Redirect ``/page/?query`` to ``/page?query`` (308: the method and body stay as they were)."""
    query = request.query_string.decode("utf-8", "replace")
    return redirect(request.script_root + request.path[:-1] + ("?" + query if query else ""), 308)
