"""From order events to invitations: one per (rule, order), made once, whatever arrives twice.

:func:`schedule_site` reads the site's order events after the last one it read
(:func:`feedbackwidget.orders.events_since`, in arrival order), makes an invitation
for each event a rule waits for, and cancels those still waiting when their order is
cancelled or refunded.  Who is not asked is decided here too, once: no address, no
consent (unless the site allows service surveys), outside the sampled share, or an
event too old to ask about.  Fatigue and suppression are decided when it is due.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, CursorResult, Insert, Table, select, update
from sqlalchemy.orm import Session

from ..core.db import dialect_insert
from ..core.i18n import SUPPORTED_LOCALES, normalize_locale
from ..orders import StoredOrderEvent, events_since
from .models import CANCELLING_EVENTS, Invitation, InvitationRule
from .rules import site_rules
from .settings import SiteInvitationSettings, load_settings, settings_row
from .timing import in_sending_hours

INVITATIONS: Table = Invitation.__table__  # type: ignore[assignment]
BATCH = 5000
#: An event whose invitation would have been due this long ago (an old order imported late) is not asked about.
TOO_LATE = dt.timedelta(days=14)
STATUS_OF_REASON = {"cancelled_order": "cancelled"}


@dataclass
class ScheduleReport:
    """What one run of the scheduler did for a site."""

    events: int = 0
    scheduled: int = 0
    skipped: int = 0
    cancelled: int = 0


def sampled(rule_id: int, order_id: str, percent: int) -> bool:
    """Whether the order is inside the rule's sampled share: the same answer every time it is asked."""
    digest = hashlib.sha256(f"{rule_id}:{order_id}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % 100 < percent


def invitation_locale(customer_language: str | None, site_locale: str) -> str:
    """The customer's language when feedbackwidget speaks it, else the site's."""
    locale = normalize_locale(customer_language)
    return locale if locale in SUPPORTED_LOCALES else site_locale


def skip_reason(event: StoredOrderEvent, rule: InvitationRule, settings: SiteInvitationSettings, due_at: dt.datetime,
                now: dt.datetime, cancelled_orders: set[str]) -> str | None:
    """Why this order's customer is not to be asked under *rule*, or None."""
    if event.order_id in cancelled_orders:
        return "cancelled_order"
    if not event.customer_email:
        return "no_email"
    if event.marketing_consent is not True and not settings.survey_without_consent:
        return "no_consent"
    if not sampled(rule.id, event.order_id, rule.sample_percent):
        return "sample"
    if due_at < now - TOO_LATE:
        return "too_old"
    return None


def invitation_row(event: StoredOrderEvent, rule: InvitationRule, settings: SiteInvitationSettings,
                   site_locale: str, now: dt.datetime, cancelled_orders: set[str]) -> dict[str, Any]:
    """The ``fw_invitations`` row *rule* makes of *event*."""
    earliest = event.occurred_at + dt.timedelta(minutes=rule.delay_minutes)
    due_at = in_sending_hours(earliest, settings.zone, rule.hours_start, rule.hours_end)
    reason = skip_reason(event, rule, settings, due_at, now, cancelled_orders)
    return {
        "site_id": rule.site_id, "rule_id": rule.id, "survey_slug": rule.survey_slug, "order_id": event.order_id,
        "order_event_id": event.id, "customer_id": event.customer_id, "customer_email": event.customer_email,
        "customer_name": event.customer_name, "locale": invitation_locale(event.customer_language, site_locale),
        "status": STATUS_OF_REASON.get(reason or "", "skipped") if reason else "scheduled", "reason": reason,
        "due_at": due_at,
        "created_at": now,
    }


def _insert_new(connection: Connection) -> Insert:
    """INSERT that skips an invitation already made for the same rule and order."""
    return dialect_insert(connection.dialect.name, INVITATIONS).on_conflict_do_nothing(
        index_elements=["rule_id", "order_id"])


def cancelled_among(session: Session, site_id: int, order_ids: Sequence[str]) -> set[str]:
    """Which of *order_ids* have a cancelled or refunded event stored."""
    if not order_ids:
        return set()
    query = select(StoredOrderEvent.order_id).where(
        StoredOrderEvent.site_id == site_id, StoredOrderEvent.event.in_(CANCELLING_EVENTS),
        StoredOrderEvent.order_id.in_(list(order_ids)))
    return set(session.scalars(query))


def cancel_orders(session: Session, site_id: int, order_ids: Sequence[str]) -> int:
    """Cancel the invitations of *order_ids* still waiting, and the reminders not yet sent; how many invitations."""
    if not order_ids:
        return 0
    of_orders = (Invitation.site_id == site_id) & Invitation.order_id.in_(list(order_ids))
    cancelled: CursorResult[Any] = session.execute(  # type: ignore[assignment]
        update(Invitation).where(of_orders, Invitation.status == "scheduled")
        .values(status="cancelled", reason="cancelled_order"))
    session.execute(update(Invitation).where(of_orders, Invitation.status == "mailed", Invitation.reminded_at.is_(None))
                    .values(reminder_due_at=None))
    return int(cancelled.rowcount or 0)


def _schedule_batch(session: Session, events: Sequence[StoredOrderEvent], rules: dict[str, list[InvitationRule]],
                    settings: SiteInvitationSettings, site_locale: str, now: dt.datetime) -> ScheduleReport:
    report = ScheduleReport(events=len(events))
    asked = [event for event in events if event.event in rules]
    cancelled_orders = cancelled_among(session, settings.site_id, sorted({e.order_id for e in asked}))
    rows = [invitation_row(event, rule, settings, site_locale, now, cancelled_orders)
            for event in asked for rule in rules[event.event]]
    if rows:
        session.connection().execute(_insert_new(session.connection()), rows)
        report.scheduled = sum(1 for row in rows if row["status"] == "scheduled")
        report.skipped = len(rows) - report.scheduled
    report.cancelled = cancel_orders(session, settings.site_id,
                                     sorted({e.order_id for e in events if e.event in CANCELLING_EVENTS}))
    return report


def schedule_site(session: Session, site_id: int, site_locale: str, now: dt.datetime,
                  batch: int = BATCH) -> ScheduleReport:
    """Make the invitations of the site's order events stored since the last run (the caller commits).

    A repeated run, or an event that arrives twice, makes nothing twice.
    """
    settings = load_settings(session, site_id)
    rules: dict[str, list[InvitationRule]] = defaultdict(list)
    for rule in site_rules(session, site_id, active_only=True):
        rules[rule.event].append(rule)
    total, after_id = ScheduleReport(), settings.last_event_id
    while events := events_since(session, site_id, after_id, batch):
        done = _schedule_batch(session, events, rules, settings, site_locale, now)
        total.events += done.events
        total.scheduled += done.scheduled
        total.skipped += done.skipped
        total.cancelled += done.cancelled
        after_id = events[-1].id  # the session's identity map holds read rows weakly: they go with the batch
    if after_id != settings.last_event_id:
        settings_row(session, site_id).last_event_id = after_id
    return total
