"""The digest: a site's responses, NPS, CSAT and their change, low-score words, complaints
and the complaint theme that grew the most.

Each recipient of a site chooses a daily or weekly digest (``fw_alert_recipients.digest``).
A digest covers the last full UTC day, or the last full ISO week (Monday to
Monday), and compares it with the period before; a site with no responses in
either period and no open complaint gets none.  Its dedupe key names the
site, the recipient and the period, so running ``feedbackwidget digest`` twice
sends each digest once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Table, and_, case, func, or_, select
from sqlalchemy.orm import Session

from ..core.i18n import N_, translate
from ..core.models import Base, Response, Site, load_all_models
from ..responses.purposes import is_site_feedback
from ..themes.drivers import RisingTheme, rising_complaint_theme
from ..delivery.alerts import public_base_url, recipient_key
from ..delivery.mail import mail_draft
from ..delivery.models import AlertRecipient
from ..delivery.outbox import OutboxDraft, enqueue
from .words import top_words

RESPONSES: Table = Response.__table__  # type: ignore[assignment]
PERIODS: dict[str, dt.timedelta] = {"daily": dt.timedelta(days=1), "weekly": dt.timedelta(days=7)}
LOW_SCORE = 6
COMPLAINTS_TABLE = "fw_complaints"
# Used only if the complaints area does not say which of its states are closed.
CLOSED_COMPLAINT_STATUSES: tuple[str, ...] = ("resolved", "rejected")
SUBJECT = {"daily": N_("Daily feedback digest for %(site)s"), "weekly": N_("Weekly feedback digest for %(site)s")}


@dataclass(frozen=True)
class PeriodStats:
    responses: int
    nps: float | None
    csat: float | None


@dataclass(frozen=True)
class Digest:
    start: dt.datetime
    end: dt.datetime
    current: PeriodStats
    previous: PeriodStats
    words: list[tuple[str, int]]
    open_complaints: int | None
    overdue_complaints: int | None
    # The complaint theme that grew the most since the previous period (None: none grew).
    rising_complaint_theme: RisingTheme | None = None

    @property
    def has_news(self) -> bool:
        """Whether there is anything to tell: responses now or before, or open complaints."""
        return bool(self.current.responses or self.previous.responses or self.open_complaints)

    def change(self, metric: str) -> float | None:
        """The change of *metric* (``nps`` or ``csat``) since the previous period, in points."""
        now, before = getattr(self.current, metric), getattr(self.previous, metric)
        return None if now is None or before is None else round(now - before, 1)


def period_bounds(period: str, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The last full day or ISO week before *now* (UTC).

    :raises ValueError: for another period.
    """
    if period not in PERIODS:
        raise ValueError(f"unknown digest period {period!r}: use daily or weekly")
    end = now.astimezone(dt.timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    if period == "weekly":
        end -= dt.timedelta(days=end.weekday())
    return end - PERIODS[period], end


def period_stats(connection: Connection, site_id: int, start: dt.datetime, end: dt.datetime) -> PeriodStats:
    """Responses, NPS (promoters % - detractors %) and CSAT (% excellent or good) of a period."""
    nps, csat = RESPONSES.c.nps_score, RESPONSES.c.csat
    row = connection.execute(
        select(
            func.count(),
            func.count(nps), func.sum(case((nps >= 9, 1), else_=0)), func.sum(case((nps <= 6, 1), else_=0)),
            func.count(csat), func.sum(case((csat.in_(("excellent", "good")), 1), else_=0)),
        ).where(RESPONSES.c.site_id == site_id, RESPONSES.c.created_at >= start, RESPONSES.c.created_at < end,
                is_site_feedback())
    ).one()
    total, nps_count, promoters, detractors, csat_count, satisfied = (int(v or 0) for v in row)
    return PeriodStats(
        responses=total,
        nps=round(100.0 * (promoters - detractors) / nps_count, 1) if nps_count else None,
        csat=round(100.0 * satisfied / csat_count, 1) if csat_count else None,
    )


def low_score_reasons(connection: Connection, site_id: int, start: dt.datetime, end: dt.datetime) -> list[str]:
    """The reasons given with low scores (NPS or loyalty 6 or below, CSAT bad, not in stock)."""
    c = RESPONSES.c
    low = or_(c.nps_score <= LOW_SCORE, c.loyalty_score <= LOW_SCORE, c.csat == "bad", c.in_stock.is_(False))
    query = select(c.comment).where(c.site_id == site_id, c.created_at >= start, c.created_at < end,
                                    c.comment.is_not(None), low, is_site_feedback())
    return [str(text) for text in connection.scalars(query)]


def complaint_counts(connection: Connection, site_id: int, now: dt.datetime) -> tuple[int | None, int | None]:
    """Open and overdue complaints, or ``(None, None)`` before the complaints area is installed."""
    load_all_models()
    table = Base.metadata.tables.get(COMPLAINTS_TABLE)
    if table is None or not {"site_id", "status", "due_at"} <= set(table.c.keys()):
        return None, None
    is_open = and_(table.c.site_id == site_id, table.c.status.not_in(_closed_states()))
    row = connection.execute(
        select(func.count(), func.sum(case((table.c.due_at < now, 1), else_=0))).where(is_open)
    ).one()
    return int(row[0] or 0), int(row[1] or 0)


def _closed_states() -> tuple[str, ...]:
    try:
        from ..complaints.models import CLOSED_STATES
    except ImportError:
        return CLOSED_COMPLAINT_STATUSES
    return tuple(CLOSED_STATES)


def _rising_complaint_theme(connection: Connection, site_id: int, start: dt.datetime,
                            end: dt.datetime) -> RisingTheme | None:
    with Session(connection) as session:
        return rising_complaint_theme(session, site_id, start, end)


def build_digest(connection: Connection, site_id: int, period: str, now: dt.datetime) -> Digest:
    start, end = period_bounds(period, now)
    before = start - PERIODS[period]
    open_count, overdue_count = complaint_counts(connection, site_id, now)
    return Digest(
        start=start, end=end,
        current=period_stats(connection, site_id, start, end),
        previous=period_stats(connection, site_id, before, start),
        words=top_words(low_score_reasons(connection, site_id, start, end)),
        open_complaints=open_count, overdue_complaints=overdue_count,
        rising_complaint_theme=_rising_complaint_theme(connection, site_id, start, end),
    )


def digest_draft(site: Any, digest: Digest, period: str, email: str, locale: str) -> OutboxDraft:
    subject = translate(locale, SUBJECT[period]) % {"site": site.name}
    context = {"site_name": site.name, "digest": digest, "period": period,
               "start": digest.start.date().isoformat(), "end": (digest.end - dt.timedelta(days=1)).date().isoformat(),
               "admin_url": public_base_url() + "/admin/"}
    key = f"digest:{site.id}:{period}:{digest.start.date().isoformat()}:{recipient_key(email)}"
    return mail_draft(recipient=email, subject=subject, template="digest", context=context, locale=locale,
                      dedupe_key=key, site_id=site.id)


def enqueue_digests(engine: Engine, period: str, now: dt.datetime, site_key: str | None = None) -> int:
    """Write the *period* digest of each site (or of *site_key*) for the recipients who chose it.

    Needs an app context (to render the mails).  Each site is read, then written in
    a short transaction of its own, so submissions are not held up on SQLite.
    Returns how many new messages were written.
    """
    sites_table, recipients_table = Site.__table__, AlertRecipient.__table__
    query = select(sites_table).where(sites_table.c.key == site_key) if site_key else select(sites_table)
    with engine.connect() as connection:
        sites = connection.execute(query).all()
    written = 0
    for site in sites:
        with engine.connect() as connection:
            recipients = connection.execute(select(recipients_table).where(
                recipients_table.c.site_id == site.id, recipients_table.c.digest == period)).all()
            digest = build_digest(connection, site.id, period, now) if recipients else None
        if digest is None or not digest.has_news:
            continue
        drafts = [digest_draft(site, digest, period, r.email, r.locale) for r in recipients]
        with engine.begin() as connection:
            written += enqueue(connection, drafts)
    return written
