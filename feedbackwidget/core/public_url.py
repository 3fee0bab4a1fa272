"""The absolute address feedbackwidget is reached at: for the printed embed snippet and the links in
e-mails, which are often made outside any request (the CLI, the outbox sender, the maintenance job)."""

from __future__ import annotations

from typing import NamedTuple

from flask import Flask, has_request_context, request

from . import config

LOCAL_BASE_URL = "http://127.0.0.1:5000"
# Printed next to a snippet or link whose address had to be guessed.
GUESSED_HINT = (f"(guessed {LOCAL_BASE_URL}, the local development server: set {config.PUBLIC_URL} to the address "
                "this server is reached at, e.g. https://feedback.shop.example)")


class PublicURL(NamedTuple):
    """Feedbackwidget's absolute URL prefix (``https://shop.example/feedback``), and whether it was guessed."""

    url: str
    guessed: bool


def public_base_url(app: Flask) -> PublicURL:
    """The absolute URL of feedbackwidget's prefix, from the first of: ``FEEDBACKWIDGET_PUBLIC_URL``;
    the host's ``SERVER_NAME`` with ``PREFERRED_URL_SCHEME`` and ``APPLICATION_ROOT``; the current
    request's address; else the local development server's, marked guessed."""
    prefix = str(app.config[config.URL_PREFIX])
    configured = app.config.get(config.PUBLIC_URL)
    if configured:
        return PublicURL(str(configured).rstrip("/") + prefix, False)
    if app.config.get("SERVER_NAME"):
        return PublicURL(_server_name_root(app) + prefix, False)
    if has_request_context():
        return PublicURL(request.root_url.rstrip("/") + prefix, False)
    return PublicURL(LOCAL_BASE_URL + prefix, True)


def _server_name_root(app: Flask) -> str:
    root = str(app.config.get("APPLICATION_ROOT") or "/").rstrip("/")
    return f"{app.config['PREFERRED_URL_SCHEME']}://{app.config['SERVER_NAME']}{root}"


def embed_snippet(base_url: str, site_key: str) -> str:
    """The ``<script>`` tag a shop pastes into its pages, *base_url* being :func:`public_base_url`'s."""
    return f'<script src="{base_url}/widget.js" data-site="{site_key}" async></script>'
