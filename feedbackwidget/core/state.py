"""The per-app state of the extension, and how every layer reaches it.

:func:`get_state` is the one way in: the web layer and the domain's app-bound
glue (the mail sender, the complaint runtime) read the engine, the site cache and
the secret key from it.  It names the domain types it holds only for type checking,
so the core imports nothing above it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from flask import Flask, current_app
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from .db import request_session

if TYPE_CHECKING:
    from ..delivery.outbox import OutboxDraft
    from ..sites import CompiledSurvey, SiteCache, SiteConfig

EXTENSION_KEY = "feedbackwidget"
# The instance-folder file holding a generated secret key when none is configured.
SECRET_KEY_FILE = "feedbackwidget-secret-key"

# Called with (site, survey, stored values) on each new response; returns the
# messages (alerts, webhooks) to write in the same transaction as the response.
ResponseHook = Callable[["SiteConfig", "CompiledSurvey", Mapping[str, Any]], "list[OutboxDraft]"]
# Called with (site, event data) for a named event such as "complaint.created";
# returns the messages to write in the transaction that caused the event.
EventHook = Callable[["SiteConfig", Mapping[str, Any]], "list[OutboxDraft]"]


@dataclass
class FeedbackWidgetState:
    """Per-app state of the extension."""

    engine: Engine
    #: The same database in AUTOCOMMIT: the submit path's single INSERT commits itself.
    submit_engine: Engine
    session_factory: sessionmaker[Session]
    sites: SiteCache
    secret_key: str
    response_hooks: list[ResponseHook] = field(default_factory=list)
    event_hooks: dict[str, list[EventHook]] = field(default_factory=dict)
    extras: dict[str, Any] = field(default_factory=dict)

    def session(self) -> Session:
        """The ORM session of the current app context."""
        return request_session(self.session_factory)

    def dispose(self) -> None:
        """Close every pooled database connection (tests, and before a process forks)."""
        self.engine.dispose()
        self.submit_engine.dispose()

    def on_event(self, event: str, hook: EventHook) -> None:
        """Call *hook* on each *event* (e.g. ``complaint.created``) to add outbox messages."""
        self.event_hooks.setdefault(event, []).append(hook)

    def drafts_for(self, event: str, site: SiteConfig, data: Mapping[str, Any]) -> list[OutboxDraft]:
        """The outbox messages every hook of *event* wants written for *data*."""
        return [draft for hook in self.event_hooks.get(event, []) for draft in hook(site, data)]


def get_state(app: Flask | None = None) -> FeedbackWidgetState:
    """The extension state of *app* (default: the current app).

    :raises RuntimeError: when the app has no FeedbackWidget registered.
    """
    app = app or current_app
    try:
        state: FeedbackWidgetState = app.extensions[EXTENSION_KEY]
    except KeyError as err:
        raise RuntimeError(
            "FeedbackWidget is not registered on this app: call FeedbackWidget(app) or init_app(app) first"
        ) from err
    return state
