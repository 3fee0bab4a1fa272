"""The Flask extension: ``FeedbackWidget(app)`` or ``FeedbackWidget().init_app(app)``.

Everything the extension keeps for an app lives in ``app.extensions["feedbackwidget"]``
(a :class:`~feedbackwidget.core.state.FeedbackWidgetState`), so several apps in one process each have their own
engine, site cache and settings, and nothing global is installed on the host.
"""

from __future__ import annotations

import logging
import os
import secrets
from typing import Any

from flask import Flask, request_started

from .core import config
from .core.db import close_request_session, create_feedback_engine, default_database_url, make_session_factory, reading_engine
from .core.models import load_all_models
from .core.state import EXTENSION_KEY, SECRET_KEY_FILE, FeedbackWidgetState
from .sites import SiteCache, SiteConfig, load_site_config

log = logging.getLogger(__name__)

class FeedbackWidget:
    """The feedbackwidget Flask extension.

    :param app: the app to register on now; or call :meth:`init_app` later.
    """

    def __init__(self, app: Flask | None = None) -> None:
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask) -> None:
        """Register feedbackwidget on *app*: settings, database engine, routes and CLI.

        :raises RuntimeError: when it is already registered on *app*.
        """
        if EXTENSION_KEY in app.extensions:
            raise RuntimeError("FeedbackWidget is already registered on this app: call init_app once per app")
        load_all_models()
        for key, value in config.DEFAULTS.items():
            app.config.setdefault(key, value)
        app.extensions[EXTENSION_KEY] = _build_state(app)
        app.teardown_appcontext(close_request_session)
        from .web import blueprint
        from .cli import feedbackwidget_group
        from .web.admin.slashes import redirect_slashed_spellings

        app.register_blueprint(blueprint, url_prefix=app.config[config.URL_PREFIX])
        redirect_slashed_spellings(app, f"{blueprint.name}.admin.")
        app.cli.add_command(feedbackwidget_group)
        from .delivery import install as install_delivery

        install_delivery(app)
        from .invitations.setup import install as install_invitations

        install_invitations(app)
        from .themes.background import install as install_themes

        install_themes(app)
        exempt_from_host_csrf(app)


def exempt_from_host_csrf(app: Flask) -> None:
    """Keep a host's global Flask-WTF ``CSRFProtect`` off feedbackwidget's own endpoints.

    The JSON API is token-less by design (cross-origin POSTs from shops' pages, checked by
    origin instead), and every HTML form of ours checks its own CSRF token, signed with our
    key (see :class:`feedbackwidget.web.forms.ProtectedForm`).  A host may register
    ``CSRFProtect`` before or after us: before, we exempt at once; after, on the first
    request (``request_started`` fires before any ``before_request`` function).
    """
    if not _exempt_views(app):
        request_started.connect(_exempt_on_first_request, app, weak=False)


def _exempt_on_first_request(app: Flask, **extra: Any) -> None:
    """Exempt our views once the host's CSRFProtect is there, then stop listening: no cost per request."""
    if _exempt_views(app):
        request_started.disconnect(_exempt_on_first_request, app)


def _exempt_views(app: Flask) -> bool:
    """Exempt each of our views from the host's CSRFProtect; False when it has none yet."""
    host_csrf = app.extensions.get("csrf")
    if host_csrf is None:
        return False
    prefix = EXTENSION_KEY + "."
    for endpoint, view in list(app.view_functions.items()):
        if endpoint.startswith(prefix):
            host_csrf.exempt(view)
    return True


def _build_state(app: Flask) -> FeedbackWidgetState:
    url = app.config[config.DATABASE_URL] or default_database_url(app.instance_path)
    engine = create_feedback_engine(url, app.config[config.ENGINE_OPTIONS])
    session_factory = make_session_factory(engine)

    def load(key: str) -> SiteConfig | None:
        # A read: on SQLite it must not queue for the write lock on the submit path.
        with session_factory(bind=reading_engine(engine)) as session:
            return load_site_config(session, key)

    return FeedbackWidgetState(
        engine=engine,
        submit_engine=create_feedback_engine(url, app.config[config.ENGINE_OPTIONS], autocommit=True),
        session_factory=session_factory,
        sites=SiteCache(load, app.config[config.SITE_CACHE_SECONDS]),
        secret_key=resolve_secret_key(app),
    )


def resolve_secret_key(app: Flask) -> str:
    """FEEDBACKWIDGET_SECRET_KEY, else the host's SECRET_KEY, else one generated once
    into the instance folder (with a warning: several hosts must share one key).

    :raises RuntimeError: outside debug and testing mode, for a placeholder or short key
        (see :func:`config.check_secret_key`).
    """
    own = app.config.get(config.SECRET_KEY)
    key = own or app.config.get("SECRET_KEY")
    if key:
        if not (app.debug or app.testing):
            config.check_secret_key(key, own=bool(own))
        return str(key)
    path = os.path.join(app.instance_path, SECRET_KEY_FILE)
    os.makedirs(app.instance_path, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    log.warning(
        "FEEDBACKWIDGET_SECRET_KEY is not set: using the key generated in %s. "
        "Set FEEDBACKWIDGET_SECRET_KEY to a long random string shared by every host.",
        path,
    )
    with open(path) as handle:
        return handle.read().strip()
