"""Building a complaint :class:`~feedbackwidget.complaints.context.Context` inside a Flask app."""

from __future__ import annotations

import datetime as dt

from flask import current_app, has_request_context, request

from .. import config
from ..extension import get_state
from ..models import utcnow
from ..sites import SiteConfig
from .context import Actor, Context, Settings

LOCAL_BASE_URL = "http://127.0.0.1:5000"


def public_base() -> str:
    """Absolute URL of feedbackwidget's prefix: FEEDBACKWIDGET_PUBLIC_URL, else this request's host."""
    configured = current_app.config[config.PUBLIC_URL]
    if configured:
        host = str(configured)
    elif has_request_context():
        host = request.host_url
    else:
        host = LOCAL_BASE_URL
    return host.rstrip("/") + str(current_app.config[config.URL_PREFIX])


def settings() -> Settings:
    """The current app's complaint settings."""
    return Settings(
        deadline_days=int(current_app.config[config.COMPLAINT_DEADLINE_DAYS]),
        reminder_days=int(current_app.config[config.COMPLAINT_REMINDER_DAYS]),
        public_base=public_base(),
        url_prefix=str(current_app.config[config.URL_PREFIX]),
    )


def context_for(site: SiteConfig, actor: Actor, now: dt.datetime | None = None) -> Context:
    """A context for *actor* working on *site*'s complaints in the current app, at *now*."""
    state = get_state()
    return Context(
        session=state.session(), site=site, actor=actor, now=now or utcnow(),
        settings=settings(), event_drafts=state.drafts_for,
    )
