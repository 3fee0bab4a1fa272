"""Refused submissions: how often a site's pages were turned away, by origin and reason, per day.

Written only when the public API refuses a submission for good (its origin, an unknown survey,
invalid answers, ...), one upsert per refusal, so a stored answer costs nothing more. The site's
admin page lists the last days' counts, so an owner sees a page the widget cannot send from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Date, Engine, ForeignKey, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..core.db import dialect_insert
from ..core.i18n import N_
from ..core.models import Base, utcnow

#: What each refusal's code means to a shop owner (English msgids of the admin catalog);
#: any other code is shown as it is.
REASON_TEXTS = {
    "origin_not_allowed": N_("The page's address is not one of the site's allowed origins."),
    "unknown_survey": N_("The page asked for a survey the site does not have, or has switched off."),
    "invalid_request": N_("The answers did not pass the checks (a missing or wrong field)."),
    "invalid_answers": N_("The answers did not pass the checks (a missing or wrong field)."),
    "payload_too_large": N_("More was sent than a submission may hold."),
}

MAX_ORIGIN_LENGTH = 200
SHOWN_DAYS = 7


class RefusedSubmission(Base):
    """The submissions refused on one day to one origin (empty: none sent) for one reason."""

    __tablename__ = "fw_refused_submissions"

    site_id: Mapped[int] = mapped_column(ForeignKey("fw_sites.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    origin: Mapped[str] = mapped_column(String(MAX_ORIGIN_LENGTH), primary_key=True)
    reason: Mapped[str] = mapped_column(String(64), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)
    last_seen: Mapped[dt.datetime] = mapped_column(default=utcnow)


@dataclass(frozen=True)
class RefusalRow:
    """Refusals of the last days for one origin and reason."""

    origin: str
    reason: str
    count: int
    last_seen: dt.datetime


def record_refusal(engine: Engine, site_id: int, origin: str | None, reason: str) -> None:
    """Count one refused submission of *site_id* from *origin* for *reason* (one statement)."""
    now = utcnow()
    statement = dialect_insert(engine.dialect.name, RefusedSubmission).values(site_id=site_id, day=now.date(), origin=(origin or "")[:MAX_ORIGIN_LENGTH],
                                     reason=reason[:64], count=1, last_seen=now)
    statement = statement.on_conflict_do_update(
        index_elements=["site_id", "day", "origin", "reason"],
        set_={"count": RefusedSubmission.count + 1, "last_seen": statement.excluded.last_seen},
    )
    with engine.begin() as connection:
        connection.execute(statement)


def recent_refusals(session: Session, site_id: int, days: int = SHOWN_DAYS) -> list[RefusalRow]:
    """*site_id*'s refusals of the last *days* days by origin and reason, the most frequent first."""
    since = utcnow().date() - dt.timedelta(days=days - 1)
    totals: dict[tuple[str, str], RefusalRow] = {}
    for row in session.scalars(select(RefusedSubmission).where(
            RefusedSubmission.site_id == site_id, RefusedSubmission.day >= since)):
        seen = totals.get((row.origin, row.reason))
        count = row.count + (seen.count if seen else 0)
        last = max(row.last_seen, seen.last_seen) if seen else row.last_seen
        totals[(row.origin, row.reason)] = RefusalRow(row.origin, row.reason, count, last)
    return sorted(totals.values(), key=lambda r: (-r.count, r.origin, r.reason))
