"""Views of the public JSON API v1: site config for the widget and response submission."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, request
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException

from ..spam import check_envelope
from ...core import config
from ...core.state import get_state
from ...core.i18n import negotiate_locale
from ...metrics.sightings import record_sighting
from ..ratelimit import rate_limit
from ...sites.refusals import record_refusal
from ...responses import IdempotencyConflict, StorageUnavailable, record_response
from ...sites import SiteConfig
from ..widget.encoding import encoded_response, shared_cache_control
from ..widget.site_config import encoded_site_config
from .cors import add_cors_headers
from ..errors import (
    ApiError,
    IdempotencyKeyReused,
    MethodNotAllowed,
    NotFound,
    OriginNotAllowed,
    ServiceUnavailable,
    UnknownSite,
    wrap_http_exception,
)
from .openapi import openapi_document
from ..submission import check_site_cap, idempotency_key, read_json_object, submission_row

api = Blueprint("api", __name__)
CONFIG_MAX_AGE = 60
CONFIG_CACHE = shared_cache_control(CONFIG_MAX_AGE)
RETRY_AFTER_SECONDS = "5"


def current_site(site_key: str) -> SiteConfig:
    """The site named in the URL, remembered on ``g`` for the CORS headers."""
    try:
        site = get_state().sites.get(site_key)
    except OperationalError as err:
        raise ServiceUnavailable(headers={"Retry-After": RETRY_AFTER_SECONDS}) from err
    if site is None:
        raise UnknownSite()
    g.feedbackwidget_site = site
    return site


def check_origin(site: SiteConfig) -> None:
    """Refuse a browser request from an origin the site does not allow."""
    origin = request.headers.get("Origin")
    if origin is not None and not site.allows_origin(origin):
        raise OriginNotAllowed()
    if origin is None and site.settings.get("require_origin"):
        raise OriginNotAllowed("This site accepts submissions only from its own pages.")


@api.after_request
def _cors(response: Response) -> Response:
    if g.get("feedbackwidget_server_to_server"):  # e.g. the orders endpoint: no browser may call it
        return response
    site = g.get("feedbackwidget_site")
    if site is None and request.view_args and "site_key" in request.view_args:
        try:
            site = get_state().sites.get(request.view_args["site_key"])
        except OperationalError:
            site = None
    return add_cors_headers(response, site)


@api.errorhandler(HTTPException)
def _json_error(error: HTTPException) -> Response:
    wrapped = wrap_http_exception(error)
    _count_refusal(wrapped)
    return _cors(wrapped.get_response())  # type: ignore[arg-type]


def _refusal_reason(error: ApiError) -> str:
    """The error's code; a survey the site does not have (one deactivated since) is "unknown_survey"."""
    return "unknown_survey" if error.error_code == "invalid_request" and "survey" in error.fields else error.error_code


def _count_refusal(error: ApiError) -> None:
    """Count a submission refused for good (the widget drops it) for the site's admin page; only
    refusals write, and a failed count never changes the answer."""
    site = g.get("feedbackwidget_site")
    if request.method != "POST" or site is None or error.code in (408, 429) or not 400 <= (error.code or 0) < 500:
        return
    try:
        record_refusal(get_state().engine, site.id, request.headers.get("Origin"), _refusal_reason(error))
    except SQLAlchemyError:
        current_app.logger.exception("feedbackwidget: refused submission not counted")


@api.errorhandler(OperationalError)
def _database_down(error: OperationalError) -> Response:
    current_app.logger.exception("feedbackwidget: database unavailable")
    return _json_error(ServiceUnavailable(headers={"Retry-After": RETRY_AFTER_SECONDS}))


def _note_sighting(site: SiteConfig) -> None:
    """The widget runs on an allowed page: the first time, for the dashboard's setup checklist.
    A failed write never changes the answer."""
    origin = request.headers.get("Origin")
    if origin is None or not site.allows_origin(origin):
        return
    try:
        record_sighting(get_state().engine, site.id, origin)
    except SQLAlchemyError:
        current_app.logger.exception("feedbackwidget: widget sighting not recorded")


@api.get("/v1/sites/<site_key>/config")
@rate_limit("config", config.RATELIMIT_READ_PER_CLIENT, config.RATELIMIT_READ_PER_SITE, flood=None)
def site_config(site_key: str) -> Response:
    """The site's active surveys and widget settings, in the visitor's language."""
    site = current_site(site_key)
    _note_sighting(site)
    locale = negotiate_locale(
        [request.args.get("locale"), request.accept_languages.best_match(["en", "hu", "zh"])],
        site.default_locale,
    )
    return encoded_response(encoded_site_config(site, locale), request, CONFIG_CACHE)


def read_submission(site_key: str, scope: str) -> tuple[SiteConfig, dict[str, Any], str | None]:
    """The site, JSON body and Idempotency-Key of a public submission, after the checks every one
    needs: known site, allowed origin, JSON within the size limit, spam fields, the site cap of *scope*."""
    site = current_site(site_key)
    check_origin(site)
    body = read_json_object(request, current_app.config[config.MAX_BODY_BYTES])
    check_envelope(body)
    check_site_cap(scope, site, body)
    return site, body, idempotency_key(request)


@api.post("/v1/sites/<site_key>/responses")
@rate_limit("responses", config.RATELIMIT_WRITE_PER_CLIENT, per_site=None)  # site cap: read_submission
def submit_response(site_key: str) -> Response:
    """Store one survey response; the same Idempotency-Key replays the first answer."""
    site, body, key = read_submission(site_key, "responses")
    survey, row = submission_row(site, body, key)
    state = get_state()
    drafts = [draft for hook in state.response_hooks for draft in hook(site, survey, row)]
    try:
        result = record_response(state.engine, row, drafts, submit_engine=state.submit_engine)
    except IdempotencyConflict as err:
        raise IdempotencyKeyReused() from err
    except StorageUnavailable as err:
        current_app.logger.warning("feedbackwidget: response not stored, database unavailable: %s", err)
        raise ServiceUnavailable(headers={"Retry-After": RETRY_AFTER_SECONDS}) from err
    # The body written out: Flask's JSON provider and make_response cost more than the rest of the reply.
    response = current_app.response_class(b'{"id":%d}' % result.id, 201, mimetype="application/json")
    if result.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response


@api.get("/v1/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3.1 document of this API."""
    return jsonify(openapi_document())


def _methods_of_path() -> list[str]:
    """The methods the current URL really has, not counting the catch-all route below."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    allowed = []
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
        try:
            endpoint, _ = adapter.match(method=method)
        except HTTPException:
            continue
        if not endpoint.endswith(".api.unknown_endpoint"):
            allowed.append(method)
    return allowed


@api.after_request
def _allow_header(response: Response) -> Response:
    # Flask's automatic OPTIONS answer would also list the catch-all route's methods.
    if request.method == "OPTIONS" and "Allow" in response.headers:
        methods = _methods_of_path()
        response.headers["Allow"] = ", ".join([*methods, *(["HEAD"] if "GET" in methods else []), "OPTIONS"])
    return response


@api.route("/<path:rest>", methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
def unknown_endpoint(rest: str) -> Response:
    """JSON 404 (or 405) for any other path under the API."""
    allowed = _methods_of_path()
    if allowed:
        raise MethodNotAllowed(headers={"Allow": ", ".join([*allowed, "OPTIONS"])})
    raise NotFound()


__all__ = ["api", "ApiError"]
