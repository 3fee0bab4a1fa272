"""Client errors of the public endpoints: JSON bodies with a stable ``code``.

Each error is an :class:`~werkzeug.exceptions.HTTPException` subclass (as
Flask-WTF's ``CSRFError``), so a host app may still customise it with
``errorhandler``; by default it renders as
``{"code": ..., "message": ..., "fields": {...}}``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from werkzeug.exceptions import HTTPException
from werkzeug.sansio.response import Response as SansIOResponse
from werkzeug.wrappers import Response


class ApiError(HTTPException):
    """Base of the JSON API's client errors."""

    code = 400
    error_code = "bad_request"
    description = "The request is not valid."

    def __init__(
        self,
        message: str | None = None,
        *,
        fields: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message or self.description)
        self.fields = dict(fields or {})
        self.extra_headers = dict(headers or {})

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.error_code, "message": self.description}
        if self.fields:
            body["fields"] = self.fields
        return body

    def get_response(self, environ: Any = None, scope: Any = None) -> Response:
        response = Response(
            json.dumps(self.body(), ensure_ascii=False), status=self.code, mimetype="application/json"
        )
        response.headers.update(self.extra_headers)
        return response


def json_error(status: int, error_code: str, message: str, **headers: str) -> ApiError:
    """An :class:`ApiError` for a status that has no subclass of its own."""
    error = ApiError(message, headers=headers)
    error.code = status
    error.error_code = error_code
    return error


class InvalidJson(ApiError):
    error_code = "invalid_json"
    description = "The body is not valid JSON: send a JSON object."


class UnsupportedMediaType(ApiError):
    code = 415
    error_code = "unsupported_media_type"
    description = "Send the body as JSON with the header 'Content-Type: application/json'."


class PayloadTooLarge(ApiError):
    """A body over FEEDBACKWIDGET_MAX_BODY_BYTES; refused before the rest of it is read."""

    code = 413
    error_code = "payload_too_large"
    description = "The body is larger than this server accepts: shorten the answers."


class UnknownSite(ApiError):
    code = 404
    error_code = "unknown_site"
    description = "No site has this key: check the data-site attribute of the script tag."


class NotFound(ApiError):
    code = 404
    error_code = "not_found"
    description = "There is no such endpoint: see /feedback/api/v1/openapi.json."


class MethodNotAllowed(ApiError):
    code = 405
    error_code = "method_not_allowed"
    description = "This endpoint does not accept that method."


class OriginNotAllowed(ApiError):
    code = 403
    error_code = "origin_not_allowed"
    description = "This page's origin is not allowed for the site: add it to the site's allowed origins."


class InvalidRequest(ApiError):
    code = 422
    error_code = "invalid_request"
    description = "Some fields are not valid: fix the fields listed in 'fields'."


class InvalidAnswers(ApiError):
    code = 422
    error_code = "invalid_answers"
    description = "Some answers are not valid: fix the answers listed in 'fields'."


class InvalidIdempotencyKey(ApiError):
    error_code = "invalid_idempotency_key"
    description = "The Idempotency-Key header must be 1 to 128 visible ASCII characters."


class IdempotencyKeyReused(ApiError):
    code = 422
    error_code = "idempotency_key_reused"
    description = "This Idempotency-Key was already used with a different body: use a new key for a new submission."


class RateLimited(ApiError):
    code = 429
    error_code = "rate_limited"
    description = "Too many requests: wait the number of seconds given in Retry-After, then try again."

    def __init__(self, retry_after: int, message: str | None = None) -> None:
        super().__init__(message, headers={"Retry-After": str(retry_after)})
        self.retry_after = retry_after

    def body(self) -> dict[str, Any]:
        return {**super().body(), "retry_after": self.retry_after}


class ServiceUnavailable(ApiError):
    code = 503
    error_code = "unavailable"
    description = "The feedback service cannot store data right now: try again shortly."


def wrap_http_exception(error: HTTPException) -> ApiError:
    """Turn any other HTTP error raised under the API into the JSON form."""
    if isinstance(error, ApiError):
        return error
    if error.code == 413:  # werkzeug's, from a chunked body passing the limit
        return PayloadTooLarge()
    status = error.code or 500
    wrapped = json_error(status, (error.name or "error").lower().replace(" ", "_"), error.description or "")
    if isinstance(error.response, SansIOResponse):
        wrapped.extra_headers.update({k: v for k, v in error.response.headers.items() if k in ("Allow", "Retry-After")})
    return wrapped
