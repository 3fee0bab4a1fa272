"""Named events other areas raise, and the messages delivery writes for them.

An area raises an event inside the transaction that caused it and enqueues
what comes back on the same connection::

    drafts = get_state().drafts_for("complaint.created", site_config, data)
    enqueue(connection, drafts)

Events and their ``data`` keys:

``complaint.created``
    A complaint was recorded.  Alert mails go to the recipients of the site's
    ``complaint_new`` rules; webhooks listening to ``complaint.created`` get a call.
``complaint.updated``
    Its status, answer or deadline changed.  Webhooks listening to
    ``complaint.updated`` get a call (one per update).
``complaint.overdue``
    Its deadline passed while still open (raised once per complaint by the
    complaints area).  Alert mails go to the recipients of ``complaint_overdue`` rules.

``data`` of every complaint event: ``id`` (int), ``reference`` (str, what the
customer is told), ``category``, ``channel``, ``description``,
``customer_name``, ``customer_email``, ``created_at`` and ``due_at`` (ISO 8601
strings or datetimes), ``status``, and ``admin_path`` (the complaint's path in
the admin area, e.g. ``/feedback/admin/complaints/12``, with or without the URL
prefix; used for the link in mails, never sent to webhooks).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from flask import current_app

from ..core import config
from ..core.state import FeedbackWidgetState
from ..core.i18n import N_, translate
from ..sites import SiteConfig
from .alerts import public_base_url, recipient_key, site_delivery
from .mail import mail_draft
from .outbox import OutboxDraft
from .webhooks import event_webhook_drafts

COMPLAINT_CREATED = "complaint.created"
COMPLAINT_UPDATED = "complaint.updated"
COMPLAINT_OVERDUE = "complaint.overdue"
EVENTS: tuple[str, ...] = (COMPLAINT_CREATED, COMPLAINT_UPDATED, COMPLAINT_OVERDUE)
SUBJECTS = {
    COMPLAINT_CREATED: N_("New complaint %(reference)s at %(site)s"),
    COMPLAINT_OVERDUE: N_("Complaint %(reference)s at %(site)s is overdue"),
}
RULE_OF_EVENT = {COMPLAINT_CREATED: "complaint_new", COMPLAINT_OVERDUE: "complaint_overdue"}


def complaint_alerts(event: str, site: SiteConfig, data: Mapping[str, Any]) -> list[OutboxDraft]:
    """Alert mails of *event* to the recipients of the site's matching rules."""
    delivery = site_delivery(site.id)
    recipients = {email.lower() for rule in delivery.rules_of([RULE_OF_EVENT[event]]) for email in rule.recipients}
    return [_complaint_mail(event, site, data, email, delivery.locale_of(email, site.default_locale))
            for email in sorted(recipients)]


def _complaint_mail(event: str, site: SiteConfig, data: Mapping[str, Any], email: str, locale: str) -> OutboxDraft:
    reference = str(data.get("reference") or data.get("id"))
    subject = translate(locale, SUBJECTS[event]) % {"reference": reference, "site": site.name}
    context = {**{k: _text(v) for k, v in data.items()}, "site_name": site.name, "overdue": event == COMPLAINT_OVERDUE,
               "reference": reference, "admin_url": _admin_url(str(data.get("admin_path") or ""))}
    return mail_draft(recipient=email, subject=subject, template="complaint_alert", context=context, locale=locale,
                      dedupe_key=f"alert:{event}:{data.get('id')}:{recipient_key(email)}", site_id=site.id)


def _text(value: Any) -> Any:
    if isinstance(value, str) and len(value) >= 19 and value[4:5] == "-" and value[10:11] == "T":
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return value


def _admin_url(path: str) -> str | None:
    if not path:
        return None
    prefix = str(current_app.config[config.URL_PREFIX])
    if prefix and path.startswith(prefix + "/"):
        path = path[len(prefix):]
    return public_base_url() + "/" + path.lstrip("/")


def _hook(event: str, alerts: bool, webhooks: bool) -> Any:
    def hook(site: SiteConfig, data: Mapping[str, Any]) -> list[OutboxDraft]:
        drafts = complaint_alerts(event, site, data) if alerts else []
        if webhooks:
            drafts += event_webhook_drafts(site, site_delivery(site.id), event, _jsonable(data))
        return drafts

    return hook


def _jsonable(data: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, (dt.datetime, dt.date)) else v for k, v in data.items()}


def register_event_hooks(state: FeedbackWidgetState) -> None:
    """Subscribe delivery to every complaint event on *state*."""
    state.on_event(COMPLAINT_CREATED, _hook(COMPLAINT_CREATED, alerts=True, webhooks=True))
    state.on_event(COMPLAINT_UPDATED, _hook(COMPLAINT_UPDATED, alerts=False, webhooks=True))
    state.on_event(COMPLAINT_OVERDUE, _hook(COMPLAINT_OVERDUE, alerts=True, webhooks=False))


