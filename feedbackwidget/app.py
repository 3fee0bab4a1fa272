"""The standalone server: a Flask app that is nothing but feedbackwidget."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask, Request, has_request_context, redirect, request
from flask.cli import FlaskGroup
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response

from .cli import feedbackwidget_group
from .core import config

log = logging.getLogger(__name__)


class CookieSessionOnDemand(SecureCookieSessionInterface):
    """Flask's signed-cookie session (the hosted forms keep their CSRF token in it), minus the
    signer Flask builds on every request: one that brings no session cookie (each widget and
    API call) gets an empty session at once.  Only the standalone server uses it; a host app
    keeps its own session interface."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if app.secret_key and not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)

    def get_cookie_secure(self, app: Flask) -> bool:
        """Secure whenever the request came over HTTPS (the cookie holds the CSRF secret), like the admin cookie."""
        return bool(super().get_cookie_secure(app)) or (has_request_context() and request.is_secure)


def warn_without_mail_server(app: Flask) -> None:
    """Say once, at start, that mail will not go out: only the standalone server knows it owns the settings."""
    if not app.config.get("MAIL_SERVER"):
        log.warning(
            "feedbackwidget: MAIL_SERVER is not set, so alerts, digests and complaint mail wait in the outbox "
            "for a mail server on localhost:25. Set MAIL_SERVER (and MAIL_PORT, MAIL_USERNAME, MAIL_PASSWORD, "
            "MAIL_DEFAULT_SENDER) in the environment, then try 'feedbackwidget check --send-test you@example.com'."
        )


def answer_unknown_addresses(app: Flask, prefix: str) -> None:
    """An address no route matches: the styled 404 page in the visitor's language (JSON under the API).
    Only the standalone server owns its app; under a host, the host's 404 stays the host's."""
    from .web.errors import NotFound as ApiNotFound
    from .web.error_pages import error_page

    def unknown_address(error: NotFound) -> Response:
        if request.path.startswith(f"{prefix}/api/"):
            return ApiNotFound().get_response()
        return error_page(error)

    app.register_error_handler(NotFound, unknown_address)


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Create the standalone server.

    Settings come from the defaults, then ``FEEDBACKWIDGET_*`` and ``MAIL_*``
    environment variables, then *test_config*.  The database is migrated to the
    newest schema on start (on PostgreSQL one host at a time).
    """
    from .extension import FeedbackWidget
    from .core.state import get_state
    from .maintenance import install_maintenance
    from .migrations import upgrade

    app = Flask("feedbackwidget", instance_relative_config=True)
    app.session_interface = CookieSessionOnDemand()
    app.config.update(config.from_environment())
    if test_config:
        app.config.update(test_config)
    if app.config.get("SESSION_COOKIE_SAMESITE") is None:
        app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    # Tells delivery this app is the standalone server, which runs its own outbox sender.
    app.extensions["feedbackwidget.standalone"] = True
    FeedbackWidget(app)
    # Flask's default config holds SECRET_KEY = None, so setdefault would not fill it.
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = get_state(app).secret_key
    install_maintenance(app)
    warn_without_mail_server(app)
    prefix = app.config[config.URL_PREFIX]

    @app.get("/")
    def index() -> Response:
        return redirect(f"{prefix}/demo")

    answer_unknown_addresses(app, prefix)

    if app.config[config.AUTO_MIGRATE]:
        try:
            upgrade(get_state(app).engine)
        except SQLAlchemyError:
            log.exception("feedbackwidget: could not migrate the database; /healthz reports it")
    return app


def main() -> None:
    """The ``feedbackwidget`` console script: the standalone server's CLI (every command of
    ``flask --app feedbackwidget feedbackwidget``, run on :func:`create_app`)."""
    cli = FlaskGroup(name="feedbackwidget", create_app=lambda: create_app())
    for name, command in feedbackwidget_group.commands.items():
        cli.add_command(command, name)
    cli.main()
