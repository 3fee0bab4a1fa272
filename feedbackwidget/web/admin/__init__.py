"""The admin area: the ``admin`` blueprint, mounted at ``<prefix>/admin``.

Other areas hang their admin pages under it as child blueprints (registered in
:mod:`feedbackwidget.web` before the tree is registered on an app); they inherit
the security headers, the login check helpers of :mod:`.access`, the language
(``_`` in templates) and the base template ``feedbackwidget/admin/base.html``.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from werkzeug.wrappers import Response

admin = Blueprint("admin", __name__)

# 'self' only: no inline script or style anywhere in the admin area.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


@admin.after_request
def _security_headers(response: Response) -> Response:
    """Every admin page (child blueprints included) gets a strict CSP and is never cached."""
    from .auth_views import cookie_path
    from .locale import remember_choice

    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    response.headers.setdefault("Cache-Control", "no-store")
    remember_choice(response, cookie_path())
    return response


@admin.context_processor
def _template_context() -> dict[str, Any]:
    from .access import current_access, nav_items
    from .formatting import TEMPLATE_HELPERS
    from .forms import ButtonForm
    from .locale import template_context

    found = current_access()
    logout_form = ButtonForm(formdata=None) if found is not None and not found.via_host else None
    return {**template_context(), **TEMPLATE_HELPERS, "nav_items": nav_items(), "admin_access": found, "logout_form": logout_form}


from . import account_views, auth_views, dashboard_views, health_views, name_views, response_views, site_views, \
    survey_views, theme_views  # noqa: E402,F401  (routes)

__all__ = ["admin"]
