"""Every configuration key of feedbackwidget, named once, with its default.

The extension copies these defaults into ``app.config`` with ``setdefault``, so a
host app's own values always win.  The standalone server also reads each key from
the environment variable of the same name (see :func:`from_environment`).
"""

from __future__ import annotations

import json
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
COMPLAINT_REMINDER_DAYS = "FEEDBACKWIDGET_COMPLAINT_REMINDER_DAYS"
RATELIMIT_STORAGE_URL = "FEEDBACKWIDGET_RATELIMIT_STORAGE_URL"
TRUSTED_PROXIES = "FEEDBACKWIDGET_TRUSTED_PROXIES"
RATELIMIT_ENABLED = "FEEDBACKWIDGET_RATELIMIT_ENABLED"
RATELIMIT_WRITE_PER_CLIENT = "FEEDBACKWIDGET_RATELIMIT_WRITE_PER_CLIENT"
RATELIMIT_WRITE_PER_SITE = "FEEDBACKWIDGET_RATELIMIT_WRITE_PER_SITE"
RATELIMIT_READ_PER_CLIENT = "FEEDBACKWIDGET_RATELIMIT_READ_PER_CLIENT"
RATELIMIT_READ_PER_SITE = "FEEDBACKWIDGET_RATELIMIT_READ_PER_SITE"
RATELIMIT_FLOOD_PER_CLIENT = "FEEDBACKWIDGET_RATELIMIT_FLOOD_PER_CLIENT"
MAX_FORM_BYTES = "FEEDBACKWIDGET_MAX_FORM_BYTES"
ALLOW_PRIVATE_WEBHOOKS = "FEEDBACKWIDGET_ALLOW_PRIVATE_WEBHOOKS"
PUBLIC_URL = "FEEDBACKWIDGET_PUBLIC_URL"
RUN_SENDER = "FEEDBACKWIDGET_RUN_SENDER"
SMTP_TIMEOUT_SECONDS = "FEEDBACKWIDGET_SMTP_TIMEOUT_SECONDS"
AUTO_MIGRATE = "FEEDBACKWIDGET_AUTO_MIGRATE"
MIN_FILL_SECONDS = "FEEDBACKWIDGET_MIN_FILL_SECONDS"
RUN_MAINTENANCE = "FEEDBACKWIDGET_RUN_MAINTENANCE"
ADMIN_IDLE_MINUTES = "FEEDBACKWIDGET_ADMIN_IDLE_MINUTES"
ADMIN_MAX_FAILED_LOGINS = "FEEDBACKWIDGET_ADMIN_MAX_FAILED_LOGINS"
ADMIN_LOCKOUT_MINUTES = "FEEDBACKWIDGET_ADMIN_LOCKOUT_MINUTES"
ADMIN_USER_LOADER = "FEEDBACKWIDGET_ADMIN_USER_LOADER"
ADMIN_PAGE_SIZE = "FEEDBACKWIDGET_ADMIN_PAGE_SIZE"
OUTBOX_MAX_ATTEMPTS = "FEEDBACKWIDGET_OUTBOX_MAX_ATTEMPTS"
OUTBOX_LEASE_SECONDS = "FEEDBACKWIDGET_OUTBOX_LEASE_SECONDS"
SENDER_INTERVAL_SECONDS = "FEEDBACKWIDGET_SENDER_INTERVAL_SECONDS"
WEBHOOK_TIMEOUT_SECONDS = "FEEDBACKWIDGET_WEBHOOK_TIMEOUT_SECONDS"
LINK_MAX_AGE_DAYS = "FEEDBACKWIDGET_LINK_MAX_AGE_DAYS"

DEFAULTS: dict[str, Any] = {
    # Where everything of feedbackwidget is mounted on the app: widget, API, pages and admin.
    URL_PREFIX: "/feedback",
    # SQLAlchemy URL of the database; None means a SQLite file ``feedbackwidget.sqlite`` in the
    # app's instance folder. ``postgresql://`` uses psycopg 3 (the ``postgres`` extra).
    DATABASE_URL: None,
    # Signs sessions, forms and links; share it between hosts. None means: the host app's
    # SECRET_KEY (extension), else a key generated once into the instance folder (standalone).
    # Outside debug and testing a key under 32 characters or a known placeholder is refused.
    SECRET_KEY: None,
    # Extra keyword arguments of SQLAlchemy's ``create_engine`` (JSON for the standalone server),
    # e.g. {"pool_pre_ping": true} or {"connect_args": {"prepare_threshold": null}}.
    ENGINE_OPTIONS: {},
    # Largest JSON body of the API; larger ones get 413 before a byte of them is read.
    MAX_BODY_BYTES: 64 * 1024,
    # Largest body of any other request under the URL prefix (HTML forms, the admin).
    MAX_FORM_BYTES: 512 * 1024,
    # Longest free-text answer or complaint field a customer may send, in characters.
    TEXT_MAX_LENGTH: 2000,
    # Language of sites and pages when nothing else decides it: en, hu or zh.
    DEFAULT_LOCALE: "en",
    # How long a process keeps a site's settings and surveys before reading them again.
    SITE_CACHE_SECONDS: 30.0,
    # Days within which a complaint must be answered (30 in Hungary).
    COMPLAINT_DEADLINE_DAYS: 30,
    # Days before a complaint's due date on which `feedbackwidget complaints remind` reminds staff.
    COMPLAINT_REMINDER_DAYS: 5,
    # memory:// counts per worker process; redis://host:6379 shares counts between workers and hosts.
    RATELIMIT_STORAGE_URL: "memory://",
    # How many proxies in front of the server append to X-Forwarded-For (0: use the peer address).
    TRUSTED_PROXIES: 0,
    # Switch every rate limit off (for a test bench; never in production).
    RATELIMIT_ENABLED: True,
    # Submissions per client and site, in the `limits` notation ("N/second|minute|hour|day",
    # ";"-separated). A client is an IPv4 address or an IPv6 /64.
    RATELIMIT_WRITE_PER_CLIENT: "20/minute;200/hour",
    # Submissions per site, all clients together (see the flood quota below).
    RATELIMIT_WRITE_PER_SITE: "1200/minute",
    # Reads of the site config per client and site.
    RATELIMIT_READ_PER_CLIENT: "120/minute",
    # Reads of the site config per site, all clients together.
    RATELIMIT_READ_PER_SITE: "12000/minute",
    # While a site is over its cap, a submission that looks like a person's (the site's origin, empty
    # honeypot, a person's fill time) is still accepted up to this many per client; others are refused.
    RATELIMIT_FLOOD_PER_CLIENT: "5/hour",
    # Allow webhooks to loopback, private and link-local addresses (an intranet CRM).
    ALLOW_PRIVATE_WEBHOOKS: False,
    # Absolute base URL used in e-mails and the printed embed snippet, e.g. "https://shop.example".
    # None means: the host's SERVER_NAME with PREFERRED_URL_SCHEME and APPLICATION_ROOT, else the
    # current request's address, else http://127.0.0.1:5000 (and create-site says it guessed).
    PUBLIC_URL: None,
    # Whether the standalone server runs the in-process outbox sender.
    RUN_SENDER: True,
    # Timeout of each step of talking to the mail server, in seconds.
    SMTP_TIMEOUT_SECONDS: 10.0,
    # Standalone server only: migrate the database to the newest schema on start.
    AUTO_MIGRATE: True,
    # Spam: a form answered faster than this (widget or hosted page) is refused.
    MIN_FILL_SECONDS: 1.5,
    # Standalone server only: run the daily purge, complaint reminders and digests itself.
    RUN_MAINTENANCE: True,
    # Admin area: minutes after which an unused session ends.
    ADMIN_IDLE_MINUTES: 30,
    # Failed logins from one client network (IPv4 address, IPv6 /64) before it is refused for
    # the lockout time; accounts themselves get a growing delay instead, never a lock.
    ADMIN_MAX_FAILED_LOGINS: 5,
    # Minutes a client network stays refused after too many failed logins.
    ADMIN_LOCKOUT_MINUTES: 15,
    # A host app's own login for the admin area: a callable (or "module:function" path)
    # returning feedbackwidget.web.admin.access.HostAdmin for its current user, or None.
    ADMIN_USER_LOADER: None,
    # Responses per page in the admin list.
    ADMIN_PAGE_SIZE: 50,
    # Outbox delivery: attempts before a message is marked failed.
    OUTBOX_MAX_ATTEMPTS: 8,
    # Seconds a worker owns a message it took; then another worker may take it again.
    OUTBOX_LEASE_SECONDS: 120.0,
    # Seconds between two looks of the sender for messages that are due.
    SENDER_INTERVAL_SECONDS: 5.0,
    # Timeout of a webhook request, in seconds.
    WEBHOOK_TIMEOUT_SECONDS: 10.0,
    # Days a survey link (``survey-link``, e-mail invitations) can be answered, and its answer changed.
    LINK_MAX_AGE_DAYS: 90,
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

# Flask-Mail's keys that are not text; ours take the type of their default.
_MAIL_TYPES: dict[str, type] = {"MAIL_PORT": int, "MAIL_USE_TLS": bool, "MAIL_USE_SSL": bool}


def setting_type(key: str) -> type:
    """The type of setting *key*: that of its default (text when the default is None)."""
    if key in _MAIL_TYPES:
        return _MAIL_TYPES[key]
    default = DEFAULTS.get(key)
    return str if default is None else type(default)


def parse_env_value(key: str, raw: str) -> Any:
    """Convert the text of environment variable *key* to the type its setting uses.

    :raises ValueError: with the variable's name and what it expects.
    """
    kind = setting_type(key)
    if kind is bool:
        return _parse_bool(key, raw)
    if kind in (int, float):
        try:
            return kind(raw)
        except ValueError as err:
            raise ValueError(f"{key}={raw!r} is not a number: set it to a number such as 30") from err
    if kind in (dict, list):
        try:
            value = json.loads(raw)
        except ValueError as err:
            raise ValueError(f"{key} must be JSON, e.g. {json.dumps(DEFAULTS[key])}") from err
        if not isinstance(value, kind):
            raise ValueError(f"{key} must be a JSON {kind.__name__}")
        return value
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


# The secret key: what refuses one outside debug and testing mode.
SECRET_KEY_MIN_LENGTH = 32
GENERATE_KEY_COMMAND = "python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"
# Values of examples, tutorials and templates (lower-cased): public, so never a secret.
PLACEHOLDER_SECRET_KEYS = frozenset({
    "dev", "development", "test", "testing", "secret", "secret-key", "secret_key", "secretkey", "changeme",
    "change-me", "change_me", "your-secret-key", "your_secret_key", "default", "password", "key", "x",
})
# deploy/feedbackwidget.env ships "CHANGE-ME-to-the-output-of-python3 ...".
PLACEHOLDER_PREFIXES = ("change-me", "changeme", "change_me", "replace-me", "your-secret")


def is_placeholder(key: str | bytes) -> bool:
    """Whether *key* is a well-known example value rather than a secret."""
    text = (key.decode("utf-8", "replace") if isinstance(key, bytes) else key).strip().lower()
    return text in PLACEHOLDER_SECRET_KEYS or text.startswith(PLACEHOLDER_PREFIXES)


def check_secret_key(key: str | bytes, *, own: bool) -> None:
    """Refuse to sign with a placeholder key, or with an own key (FEEDBACKWIDGET_SECRET_KEY)
    shorter than :data:`SECRET_KEY_MIN_LENGTH`; a host's SECRET_KEY is refused only as a
    placeholder (its length says little: many hosts keep 16-24 random bytes).

    :raises RuntimeError: naming the setting and how to make a good key.
    """
    fix = f"set {SECRET_KEY} to a long random string, the output of: {GENERATE_KEY_COMMAND}"
    if is_placeholder(key):
        name = SECRET_KEY if own else "the app's SECRET_KEY"
        raise RuntimeError(f"{name} is a placeholder from an example, not a secret: {fix}")
    if own and len(key) < SECRET_KEY_MIN_LENGTH:
        raise RuntimeError(
            f"{SECRET_KEY} is {len(key)} characters long, under the {SECRET_KEY_MIN_LENGTH} it needs: {fix}"
        )
