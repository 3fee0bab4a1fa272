"""CORS for the public API: only a site's allowed origins, exactly, never with credentials."""

from __future__ import annotations

from flask import Response, request

from ..sites import SiteConfig

PREFLIGHT_MAX_AGE = 86400
ALLOWED_REQUEST_HEADERS = "Content-Type, Idempotency-Key"


def add_cors_headers(response: Response, site: SiteConfig | None) -> Response:
    """Let *site*'s allowed origin read *response*; answer a preflight."""
    response.vary.add("Origin")
    origin = request.headers.get("Origin")
    if site is None or not site.allows_origin(origin):
        return response
    response.headers["Access-Control-Allow-Origin"] = origin or ""
    response.headers["Access-Control-Expose-Headers"] = "Retry-After, Idempotent-Replayed"
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = ALLOWED_REQUEST_HEADERS
        response.headers["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
    return response
