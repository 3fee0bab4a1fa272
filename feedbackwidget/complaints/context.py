"""What every complaint operation needs to know besides the complaint itself.

The domain functions take a :class:`Context` instead of reading Flask's globals,
so the same code serves the public pages, the admin, the CLI and the tests
(which pass their own ``now``).  :func:`feedbackwidget.complaints.runtime.context_for`
builds one inside a Flask app.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy.orm import Session

from ..delivery.outbox import OutboxDraft
from ..sites import SiteConfig

# (event, site, data) -> the outbox messages its hooks want written, e.g. FeedbackWidgetState.drafts_for.
EventDrafts = Callable[[str, SiteConfig, Mapping[str, Any]], list[OutboxDraft]]


@dataclass(frozen=True)
class Actor:
    """Who makes a change: a staff member (``id`` and e-mail), the customer or the system."""

    id: int | None
    label: str


CUSTOMER = Actor(None, "customer")
SYSTEM = Actor(None, "system")


@dataclass(frozen=True)
class Settings:
    """The deployment's complaint settings.

    ``public_base`` is the absolute URL of feedbackwidget's prefix (for links in
    e-mails), ``url_prefix`` the path of the prefix (for admin paths).
    """

    deadline_days: int
    reminder_days: int
    public_base: str
    url_prefix: str


@dataclass(frozen=True)
class Context:
    session: Session
    site: SiteConfig
    actor: Actor
    now: dt.datetime
    settings: Settings
    event_drafts: EventDrafts

    def at(self, now: dt.datetime) -> Context:
        """The same context at another time."""
        return replace(self, now=now)


def no_event_drafts(event: str, site: SiteConfig, data: Mapping[str, Any]) -> list[OutboxDraft]:
    """An :data:`EventDrafts` that adds nothing."""
    return []
