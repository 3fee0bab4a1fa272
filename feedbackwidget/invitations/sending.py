"""Due invitations and reminders become e-mails in the outbox (the outbox's worker sends them).

Each is checked once more when it is due: the survey can still be asked in a mail,
the address is not suppressed, and the customer was not contacted within the site's
fatigue days.  Its survey link (channel ``email``, the order and the customer kept
server-side) is made then, so an invitation that never goes makes no link.
Rendering needs an app context (the mail templates); nothing here needs a request.

The e-mails of a batch are rendered (templates and MIME) before the batch is written, in a
read of their own when the caller has no transaction open: on SQLite a writing transaction
holds the one write lock, and a submission waits for it, so it only checks and writes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..delivery.mail import mail_draft
from ..delivery.outbox import OutboxDraft, enqueue, enqueue_rows, outbox_row
from ..core.db import reading_engine
from ..core.i18n import translate
from ..sites import SiteConfig
from ..sites.replies_to import reply_to_headers
from ..responses.links import LinkDetails, create_link, find_link, is_expired, link_token_hash
from ..surveys.models import SurveyLink
from .contacts import contacted_since
from .message import (REMINDER_SUBJECT, FirstQuestion, answer_url, derived_token, first_question, mail_context,
                      unsubscribe_headers, unsubscribe_url)
from .models import Invitation, InvitationRule
from .settings import SiteInvitationSettings, filled, mail_text
from .suppressions import is_suppressed
from .timing import in_sending_hours

#: Invitations queued in one transaction: on SQLite a submission waits for at most one batch (~20-60 ms at 10;
#: at 50 its p95 was 376 ms against 77 ms, with the same throughput: bench/RESULTS.md, session 13).
BATCH = 10


@dataclass(frozen=True)
class Mailing:
    """What sending needs beyond the database: where links point, the key tokens derive from, link lifetime."""

    base_url: str
    secret_key: str
    link_max_age: dt.timedelta


@dataclass
class SendReport:
    """What one run queued and held back."""

    mailed: int = 0
    reminded: int = 0
    skipped: int = 0


def _skip(invitation: Invitation, reason: str) -> None:
    invitation.status, invitation.reason = "skipped", reason


def hold_back_reason(session: Session, site: SiteConfig, settings: SiteInvitationSettings, invitation: Invitation,
                     now: dt.datetime) -> str | None:
    """Why a due invitation must not go after all, or None."""
    survey = site.surveys.get(invitation.survey_slug)
    if survey is None or first_question(survey, invitation.locale, site.default_locale) is None:
        return "survey_gone"
    if invitation.customer_email is None:
        return "no_email"
    if is_suppressed(session, site.id, invitation.customer_email):
        return "suppressed"
    since = now - dt.timedelta(days=settings.fatigue_days)
    if settings.fatigue_days and contacted_since(session, site.id, invitation.customer_email, invitation.customer_id,
                                                 since, excluding=invitation.id):
        return "fatigue"
    return None


def _link(session: Session, site: SiteConfig, invitation: Invitation, mailing: Mailing) -> tuple[str, int]:
    token = derived_token(mailing.secret_key, "link", invitation.id)
    details = LinkDetails(order_reference=invitation.order_id, customer_id=invitation.customer_id,
                          customer_email=invitation.customer_email, customer_name=invitation.customer_name,
                          locale=invitation.locale, channel="email")
    create_link(session, site.id, invitation.survey_slug, details, mailing.link_max_age, token)
    session.flush()
    link = find_link(session, site.id, invitation.survey_slug, token)
    assert link is not None  # just added
    return token, link.id


def _draft(site: SiteConfig, settings: SiteInvitationSettings, invitation: Invitation, mailing: Mailing,
           reminder: bool) -> OutboxDraft:
    """The invitation's (or its reminder's) e-mail, rendered."""
    survey = site.surveys[invitation.survey_slug]
    question: FirstQuestion = first_question(survey, invitation.locale, site.default_locale)  # type: ignore[assignment]
    token = derived_token(mailing.secret_key, "link", invitation.id)
    urls = [(label, answer_url(mailing.base_url, site.key, survey.slug, token, invitation.locale, question.key, value))
            for value, label in question.answers]
    leave_url = unsubscribe_url(mailing.base_url, derived_token(mailing.secret_key, "unsubscribe", invitation.id))
    values = {"site": site.name, "order": invitation.order_id}
    subject = filled(mail_text(settings, invitation.locale, "subject"), values)
    if reminder:
        subject = translate(invitation.locale, REMINDER_SUBJECT) % {"subject": subject}
    context = mail_context(question, urls, introduction=filled(mail_text(settings, invitation.locale, "introduction"),
                                                               values),
                           name=invitation.customer_name, site_name=site.name, unsubscribe_url=leave_url,
                           reminder=reminder)
    draft = mail_draft(recipient=invitation.customer_email or "", subject=subject, template="invitation",
                       context=context, locale=invitation.locale, site_id=site.id,
                       dedupe_key=f"invitation-{invitation.id}" + ("-reminder" if reminder else ""))
    return dataclasses.replace(draft, payload={**draft.payload,
                                               "headers": {**unsubscribe_headers(leave_url),
                                                           **reply_to_headers(site.alert_emails)},
                                               "invitation_id": invitation.id})


def _draft_for(session: Session, site: SiteConfig, settings: SiteInvitationSettings, invitation: Invitation,
               mailing: Mailing, reminder: bool) -> None:
    """Write the invitation's (or its reminder's) e-mail into the outbox, in the session's transaction."""
    enqueue(session.connection(), [_draft(site, settings, invitation, mailing, reminder)])


def mail_invitation(session: Session, site: SiteConfig, settings: SiteInvitationSettings, invitation: Invitation,
                    rule: InvitationRule | None, mailing: Mailing, now: dt.datetime,
                    outbox_row_made: dict[str, Any] | None = None) -> None:
    """Make the invitation's link and queue its e-mail (*outbox_row_made*, when it was rendered beforehand);
    plan its reminder."""
    _, invitation.link_id = _link(session, site, invitation, mailing)
    invitation.unsubscribe_hash = link_token_hash(derived_token(mailing.secret_key, "unsubscribe", invitation.id))
    if outbox_row_made is None:
        _draft_for(session, site, settings, invitation, mailing, reminder=False)
    else:
        enqueue_rows(session.connection(), [outbox_row_made])
    invitation.status, invitation.mailed_at = "mailed", now
    if rule is not None and rule.reminder_minutes:
        earliest = now + dt.timedelta(minutes=rule.reminder_minutes)
        invitation.reminder_due_at = in_sending_hours(earliest, settings.zone, rule.hours_start, rule.hours_end)


def _due(site: SiteConfig, now: dt.datetime, limit: int) -> Any:
    return select(Invitation).where(Invitation.site_id == site.id, Invitation.status == "scheduled",
                                    Invitation.due_at <= now).order_by(Invitation.due_at, Invitation.id).limit(limit)


@contextmanager
def _reading(session: Session) -> Iterator[Session]:
    """Where to read and render a batch: the caller's transaction when it has one open (what it wrote is
    seen there, and on SQLite it holds the lock already), else a read of its own, holding no lock."""
    if session.in_transaction():
        yield session
        return
    with Session(reading_engine(session.get_bind())) as reader:
        yield reader


def _mailable(site: SiteConfig, invitation: Invitation) -> bool:
    survey = site.surveys.get(invitation.survey_slug)
    return invitation.customer_email is not None and survey is not None and first_question(
        survey, invitation.locale, site.default_locale) is not None


def rendered_due(session: Session, site: SiteConfig, settings: SiteInvitationSettings, mailing: Mailing,
                 now: dt.datetime, limit: int = BATCH) -> list[tuple[int, dict[str, Any] | None]]:
    """The site's invitations due at *now* (up to *limit*), each with its outbox row, e-mail rendered, or None
    when it cannot be mailed (the survey or the address is gone: :func:`hold_back_reason` says so)."""
    prepared: list[tuple[int, dict[str, Any] | None]] = []
    with _reading(session) as reader:
        for invitation in reader.scalars(_due(site, now, limit)).all():
            draft = _draft(site, settings, invitation, mailing, reminder=False) if _mailable(site, invitation) else None
            prepared.append((invitation.id, outbox_row(draft) if draft is not None else None))
    return prepared


def send_due(session: Session, site: SiteConfig, settings: SiteInvitationSettings, mailing: Mailing,
             now: dt.datetime, limit: int = BATCH) -> SendReport:
    """Queue the site's invitations due at *now* (up to *limit*), rendered first (see the module's
    docstring); the caller commits."""
    report = SendReport()
    for invitation_id, row in rendered_due(session, site, settings, mailing, now, limit):
        invitation = session.get(Invitation, invitation_id, with_for_update=True, populate_existing=True)
        if invitation is None or invitation.status != "scheduled":  # another run took it meanwhile
            continue
        reason = hold_back_reason(session, site, settings, invitation, now)
        if reason is not None or row is None:
            _skip(invitation, reason or "survey_gone")
            report.skipped += 1
            continue
        mail_invitation(session, site, settings, invitation, session.get(InvitationRule, invitation.rule_id),
                        mailing, now, row)
        session.flush()  # the next one's fatigue check sees this one
        report.mailed += 1
    return report


def reminder_needed(session: Session, site: SiteConfig, invitation: Invitation, now: dt.datetime) -> bool:
    """Whether a reminder may still go: the link is unanswered and open, the address not suppressed."""
    link = session.get(SurveyLink, invitation.link_id) if invitation.link_id is not None else None
    if link is None or link.response_id is not None or is_expired(link, now):
        return False
    if invitation.survey_slug not in site.surveys or first_question(
            site.surveys[invitation.survey_slug], invitation.locale, site.default_locale) is None:
        return False
    return not is_suppressed(session, site.id, invitation.customer_email or "")


def send_reminders(session: Session, site: SiteConfig, settings: SiteInvitationSettings, mailing: Mailing,
                   now: dt.datetime, limit: int = BATCH) -> SendReport:
    """Queue the one reminder of each invitation due for it and still unanswered; the caller commits."""
    report = SendReport()
    due = select(Invitation).where(Invitation.site_id == site.id, Invitation.status == "mailed",
                                   Invitation.reminded_at.is_(None), Invitation.reminder_due_at <= now)
    for invitation in session.scalars(due.order_by(Invitation.reminder_due_at).limit(limit)).all():
        if reminder_needed(session, site, invitation, now):
            _draft_for(session, site, settings, invitation, mailing, reminder=True)
            invitation.reminded_at = now
            report.reminded += 1
        else:
            invitation.reminder_due_at = None
    return report
