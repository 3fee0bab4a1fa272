"""Deadline notices: a reminder before a complaint is due, an overdue notice after.

:func:`send_deadline_notices` is idempotent: each complaint gets at most one
reminder and one overdue notice (``reminder_sent_at`` / ``overdue_notified_at``),
so the ``feedbackwidget complaints remind`` command may run as often as wanted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from ..delivery.outbox import OutboxDraft, enqueue
from ..core.models import AdminUser
from ..sites import SiteConfig
from .audit import record
from .context import SYSTEM, Context, EventDrafts, Settings
from .deadlines import is_overdue
from .models import OPEN_STATES, Complaint
from .notifications import event_drafts, staff_deadline_mail


@dataclass(frozen=True)
class NoticeCounts:
    reminders: int = 0
    overdue: int = 0


def _candidates(session: Session, now: dt.datetime, reminder_days: int) -> list[Complaint]:
    remind_from = now + dt.timedelta(days=reminder_days)
    return list(session.scalars(
        select(Complaint).where(
            Complaint.status.in_(OPEN_STATES),
            or_(
                and_(Complaint.due_at <= remind_from, Complaint.due_at > now, Complaint.reminder_sent_at.is_(None)),
                and_(Complaint.due_at <= now, Complaint.overdue_notified_at.is_(None)),
            ),
        ).order_by(Complaint.due_at, Complaint.id)
    ))


def _staff_recipients(ctx: Context, complaint: Complaint, fallback_to_site: bool) -> list[tuple[str, str]]:
    """``(e-mail, locale)`` of whoever should hear about *complaint*: its assignee, else the site's alert list."""
    if complaint.assignee_id is not None:
        user = ctx.session.get(AdminUser, complaint.assignee_id)
        if user is not None:
            return [(user.email, user.locale)]
    if not fallback_to_site:
        return []
    return [(email, ctx.site.default_locale) for email in ctx.site.alert_emails]


def _notice(ctx: Context, complaint: Complaint) -> str:
    overdue = is_overdue(complaint, ctx.now)
    kind = "overdue" if overdue else "reminder"
    # The delivery hooks tell the site's alert recipients of an overdue complaint; the assignee is told here.
    recipients = _staff_recipients(ctx, complaint, fallback_to_site=not overdue)
    drafts: list[OutboxDraft] = [staff_deadline_mail(ctx, complaint, email, kind, locale) for email, locale in recipients]
    if overdue:
        drafts += event_drafts(ctx, "complaint.overdue", complaint)
        complaint.overdue_notified_at = ctx.now
    else:
        complaint.reminder_sent_at = ctx.now
    record(ctx, complaint, "overdue_notice" if overdue else "reminder", None, None, [r[0] for r in recipients])
    enqueue(ctx.session.connection(), drafts)
    return kind


def send_deadline_notices(
    session: Session,
    now: dt.datetime,
    settings: Settings,
    load_site: Callable[[int], SiteConfig | None],
    drafts_for: EventDrafts,
) -> NoticeCounts:
    """Write the reminders and overdue notices due at *now* into the outbox; the caller commits."""
    counts = {"reminder": 0, "overdue": 0}
    base: Context | None = None
    for complaint in _candidates(session, now, settings.reminder_days):
        site = load_site(complaint.site_id)
        if site is None:
            continue
        base = Context(session, site, SYSTEM, now, settings, drafts_for) if base is None else replace(base, site=site)
        counts[_notice(base, complaint)] += 1
    session.flush()
    return NoticeCounts(reminders=counts["reminder"], overdue=counts["overdue"])
