"""One run of invitations for every site with a rule: schedule from new order events, queue what is due.

Called by ``feedbackwidget invitations send`` and, before each drain of the outbox, by
the standalone server's sender (and ``send-outbox``).  Each site's work is committed
on its own, so one site's fault does not hold back the others.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core import config
from ..core.state import get_state
from ..core.models import Site, utcnow
from ..core.public_url import public_base_url
from ..sites import SiteConfig
from .models import InvitationRule
from .scheduling import ScheduleReport, schedule_site
from .sending import Mailing, SendReport, send_due, send_reminders
from .settings import load_settings

log = logging.getLogger(__name__)


@dataclass
class RunReport:
    """What a run did, summed over the sites."""

    scheduled: ScheduleReport = field(default_factory=ScheduleReport)
    sent: SendReport = field(default_factory=SendReport)
    failed_sites: list[str] = field(default_factory=list)


def mailing_for(app: Flask) -> Mailing:
    """Where the app's invitation links point, the key their tokens derive from, their lifetime."""
    return Mailing(base_url=public_base_url(app).url, secret_key=get_state(app).secret_key,
                   link_max_age=dt.timedelta(days=float(app.config[config.LINK_MAX_AGE_DAYS])))


def sites_with_rules(session: Session) -> list[str]:
    """The keys of the sites that have an active rule."""
    query = select(Site.key).join(InvitationRule, InvitationRule.site_id == Site.id).where(
        InvitationRule.active.is_(True)).distinct().order_by(Site.key)
    return list(session.scalars(query))


def run_site(session: Session, site: SiteConfig, mailing: Mailing, now: dt.datetime, report: RunReport) -> None:
    """Schedule and queue one site's invitations, committing each step."""
    scheduled = schedule_site(session, site.id, site.default_locale, now)
    session.commit()
    settings = load_settings(session, site.id)
    session.commit()  # end the settings' read: send_due renders each batch before it takes the write lock
    while (sent := send_due(session, site, settings, mailing, now)).mailed + sent.skipped:
        session.commit()
        report.sent.mailed += sent.mailed
        report.sent.skipped += sent.skipped
    report.sent.reminded += send_reminders(session, site, settings, mailing, now).reminded
    session.commit()
    for name in ("events", "scheduled", "skipped", "cancelled"):
        setattr(report.scheduled, name, getattr(report.scheduled, name) + getattr(scheduled, name))


def run_invitations(app: Flask, now: dt.datetime | None = None) -> RunReport:
    """Schedule and queue the invitations of every site at *now* (default: the current time)."""
    now, report, state = now or utcnow(), RunReport(), get_state(app)
    with app.app_context(), state.session_factory() as session:
        mailing = mailing_for(app)
        for key in sites_with_rules(session):
            site = state.sites.get(key)
            if site is None:
                continue
            try:
                run_site(session, site, mailing, now, report)
            except Exception:  # one site's fault must not stop the others' invitations
                session.rollback()
                log.exception("feedbackwidget: invitations of site %s failed", key)
                report.failed_sites.append(key)
    return report
