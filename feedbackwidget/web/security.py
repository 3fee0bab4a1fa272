"""Security headers on every response feedbackwidget serves.

Set with ``setdefault`` from the top blueprint, so an area's stricter values
(the admin's CSP, the widget script's cross-origin policy) are kept.
"""

from __future__ import annotations

from flask import Response, request

# HTML pages load only our own scripts and styles, and are never framed.
PAGE_CSP = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
HSTS = "max-age=31536000"


def apply_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    # The header as it is: ``response.mimetype`` parses it again on every response.
    if headers.get("Content-Type", "").startswith("text/html"):
        headers.setdefault("Content-Security-Policy", PAGE_CSP)
        headers.setdefault("X-Frame-Options", "DENY")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", HSTS)
    return response
