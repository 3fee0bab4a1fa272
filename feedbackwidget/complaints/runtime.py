"""Building a complaint :class:`~feedbackwidget.complaints.context.Context` inside a Flask app."""

from __future__ import annotations

import datetime as dt

from flask import current_app

from ..core import config
from ..core.state import get_state
from ..core.models import utcnow
from ..core.public_url import public_base_url
from ..sites import SiteConfig
from .context import Actor, Context, Settings


def public_base() -> str:
    """Absolute URL of feedbackwidget's prefix: see :func:`feedbackwidget.core.public_url.public_base_url`."""
    return public_base_url(current_app).url


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
