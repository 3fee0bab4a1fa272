"""Every configuration key of feedbackwidget, named once, with its default.

The extension copies these defaults into ``app.config`` with ``setdefault``, so a
host app's own values always win.  The standalone server also reads each key from
the environment variable of the same name (see :func:`from_environment`).
"""

from __future__ import annotations

import os
from typing import Any

URL_PREFIX = "FEEDBACKWIDGET_URL_PREFIX"
DATABASE_URL = "FEEDBACKWIDGET_DATABASE_URL"
SECRET_KEY = "FEEDBACKWIDGET_SECRET_KEY"
ENGINE_OPTIONS = "FEEDBACKWIDGET_ENGINE_OPTIONS"
MAX_BODY_BYTES = "FEEDBACKWIDGET_MAX_BODY_BYTES"
TEXT_MAX_LENGTH = "FEEDBACKWIDGET_TEXT_MAX_LENGTH"
DEFAULT_LOCALE = "FEEDBACKWIDGET_DEFAULT_LOCALE"
SITE_CACHE_SECONDS = "FEEDBACKWIDGET_SITE_CACHE_SECONDS"
COMPLAINT_DEADLINE_DAYS = "FEEDBACKWIDGET_COMPLAINT_DEADLINE_DAYS"
RATELIMIT_STORAGE_URL = "FEEDBACKWIDGET_RATELIMIT_STORAGE_URL"
TRUSTED_PROXIES = "FEEDBACKWIDGET_TRUSTED_PROXIES"
ALLOW_PRIVATE_WEBHOOKS = "FEEDBACKWIDGET_ALLOW_PRIVATE_WEBHOOKS"
PUBLIC_URL = "FEEDBACKWIDGET_PUBLIC_URL"
RUN_SENDER = "FEEDBACKWIDGET_RUN_SENDER"
SMTP_TIMEOUT_SECONDS = "FEEDBACKWIDGET_SMTP_TIMEOUT_SECONDS"
AUTO_MIGRATE = "FEEDBACKWIDGET_AUTO_MIGRATE"
OUTBOX_MAX_ATTEMPTS = "FEEDBACKWIDGET_OUTBOX_MAX_ATTEMPTS"
OUTBOX_LEASE_SECONDS = "FEEDBACKWIDGET_OUTBOX_LEASE_SECONDS"
SENDER_INTERVAL_SECONDS = "FEEDBACKWIDGET_SENDER_INTERVAL_SECONDS"
WEBHOOK_TIMEOUT_SECONDS = "FEEDBACKWIDGET_WEBHOOK_TIMEOUT_SECONDS"

DEFAULTS: dict[str, Any] = {
    URL_PREFIX: "/feedback",
    # None means: a SQLite file ``feedbackwidget.sqlite`` in the app's instance folder.
    DATABASE_URL: None,
    # None means: fall back to the host app's SECRET_KEY (extension) or to a key
    # generated once into the instance folder (standalone server).
    SECRET_KEY: None,
    ENGINE_OPTIONS: {},
    MAX_BODY_BYTES: 64 * 1024,
    TEXT_MAX_LENGTH: 2000,
    DEFAULT_LOCALE: "en",
    SITE_CACHE_SECONDS: 30.0,
    COMPLAINT_DEADLINE_DAYS: 30,
    RATELIMIT_STORAGE_URL: "memory://",
    TRUSTED_PROXIES: 0,
    ALLOW_PRIVATE_WEBHOOKS: False,
    # Absolute base URL used in e-mails and the printed embed snippet, e.g.
    # "https://shop.example"; None means: derive it from the current request.
    PUBLIC_URL: None,
    # Whether the standalone server runs the in-process outbox sender.
    RUN_SENDER: True,
    SMTP_TIMEOUT_SECONDS: 10.0,
    # Standalone server only: migrate the database to the newest schema on start.
    AUTO_MIGRATE: True,
    # Outbox delivery: attempts before a message is marked failed; how long a worker
    # owns a message it took (then another worker may retake it); sender poll interval.
    OUTBOX_MAX_ATTEMPTS: 8,
    OUTBOX_LEASE_SECONDS: 120.0,
    SENDER_INTERVAL_SECONDS: 5.0,
    WEBHOOK_TIMEOUT_SECONDS: 10.0,
}

# Flask-Mail's own keys, read from the environment by the standalone server.
MAIL_KEYS: tuple[str, ...] = (
    "MAIL_SERVER",
    "MAIL_PORT",
    "MAIL_USE_TLS",
    "MAIL_USE_SSL",
    "MAIL_USERNAME",
    "MAIL_PASSWORD",
    "MAIL_DEFAULT_SENDER",
)

_INT_KEYS = {OUTBOX_MAX_ATTEMPTS, MAX_BODY_BYTES, TEXT_MAX_LENGTH, COMPLAINT_DEADLINE_DAYS, TRUSTED_PROXIES, "MAIL_PORT"}
_FLOAT_KEYS = {OUTBOX_LEASE_SECONDS, SENDER_INTERVAL_SECONDS, WEBHOOK_TIMEOUT_SECONDS, SITE_CACHE_SECONDS, SMTP_TIMEOUT_SECONDS}
_BOOL_KEYS = {ALLOW_PRIVATE_WEBHOOKS, RUN_SENDER, AUTO_MIGRATE, "MAIL_USE_TLS", "MAIL_USE_SSL"}


def parse_env_value(key: str, raw: str) -> Any:
    """Convert the text of environment variable *key* to the type its setting uses.

    :raises ValueError: with the variable's name and what it expects.
    """
    try:
        if key in _INT_KEYS:
            return int(raw)
        if key in _FLOAT_KEYS:
            return float(raw)
    except ValueError as err:
        raise ValueError(f"{key}={raw!r} is not a number: set it to a number such as 30") from err
    if key in _BOOL_KEYS:
        return _parse_bool(key, raw)
    return raw


def _parse_bool(key: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"{key}={raw!r} is not a boolean: set it to true or false")


def from_environment(environ: dict[str, str] | None = None) -> dict[str, Any]:
    """Return the settings found in the environment, typed, for the standalone server."""
    environ = dict(os.environ) if environ is None else environ
    keys = [*DEFAULTS, *MAIL_KEYS]
    return {key: parse_env_value(key, environ[key]) for key in keys if key in environ}
