"""CORS for the public API: only a site's allowed origins, exactly, never with credentials."""

from __future__ import annotations

from flask import Response, request

from ...sites import SiteConfig

PREFLIGHT_MAX_AGE = 86400
ALLOWED_REQUEST_HEADERS = "Content-Type, Idempotency-Key"


def add_cors_headers(response: Response, site: SiteConfig | None) -> Response:
    """Let *site*'s allowed origin read *response*; answer a preflight."""
    _vary_on_origin(response)
    origin = request.environ.get("HTTP_ORIGIN")
    if site is None or not site.allows_origin(origin):
        return response
    response.headers["Access-Control-Allow-Origin"] = origin or ""
    response.headers["Access-Control-Expose-Headers"] = "Retry-After, Idempotent-Replayed"
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = ALLOWED_REQUEST_HEADERS
        response.headers["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
    return response


def _vary_on_origin(response: Response) -> None:
    # Plain header work: ``response.vary`` parses and rebuilds a header set on every response.
    vary = response.headers.get("Vary")
    if not vary:
        response.headers["Vary"] = "Origin"
    elif "origin" not in vary.lower():
        response.headers["Vary"] = f"{vary}, Origin"
