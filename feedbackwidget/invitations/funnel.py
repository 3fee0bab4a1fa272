"""The invitations' funnel: scheduled, sent, failed, answered and the response rate, by survey and by week.

Counted in one grouped query: whether an invitation was sent or failed is the state
of its outbox message, whether it was answered that of its survey link.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, String, Table, case, cast, exists, func, literal, select
from sqlalchemy.orm import Session

from ..core.models import OutboxMessage
from ..surveys.models import SurveyLink
from .models import Invitation, InvitationRule

OUTBOX: Table = OutboxMessage.__table__  # type: ignore[assignment]
WEEKS = 12


def invitation_message() -> ColumnElement[bool]:
    """The join condition of an invitation and its outbox message (the message's dedupe key names it)."""
    return OUTBOX.c.dedupe_key == literal("invitation-") + cast(Invitation.id, String)


@dataclass
class FunnelRow:
    """One line of the funnel; ``waiting`` are scheduled and not yet mailed, ``held_back`` skipped or cancelled."""

    label: str
    waiting: int = 0
    queued: int = 0
    sent: int = 0
    failed: int = 0
    answered: int = 0
    held_back: int = 0

    @property
    def response_rate(self) -> float | None:
        """Answered per invitation sent (None before any was sent)."""
        return self.answered / self.sent if self.sent else None

    def add(self, stage: str, answered: bool, count: int) -> None:
        setattr(self, stage, getattr(self, stage) + count)
        self.answered += count if answered else 0


def stage(status: str, outbox_status: str | None) -> str:
    """Where an invitation stands: waiting, queued (in the outbox), sent, failed or held_back."""
    if status == "scheduled":
        return "waiting"
    if status != "mailed":
        return "held_back"
    return {"sent": "sent", "failed": "failed"}.get(outbox_status or "", "queued")


def week_of(day: dt.date | str) -> str:
    """The Monday of *day*'s ISO week, as ``2026-11-30``."""
    date = dt.date.fromisoformat(day) if isinstance(day, str) else day
    return (date - dt.timedelta(days=date.weekday())).isoformat()


def _counts(session: Session, site_ids: Sequence[int], since: dt.datetime, until: dt.datetime | None = None
            ) -> Iterable[tuple[str, str, str | None, object, int, int]]:
    moment = func.coalesce(Invitation.mailed_at, Invitation.due_at)
    answered = case((SurveyLink.response_id.is_not(None), 1), else_=0)
    window = [Invitation.site_id.in_(list(site_ids)), moment >= since]
    if until is not None:
        window.append(moment < until)
    query = (select(Invitation.survey_slug, Invitation.status, OUTBOX.c.status, func.date(moment), answered,
                    func.count())
             .outerjoin(OUTBOX, invitation_message())
             .outerjoin(SurveyLink, SurveyLink.id == Invitation.link_id)
             .where(*window)
             .group_by(Invitation.survey_slug, Invitation.status, OUTBOX.c.status, func.date(moment), answered))
    return session.execute(query).all()


def funnel(session: Session, site_id: int, now: dt.datetime, weeks: int = WEEKS) -> tuple[list[FunnelRow],
                                                                                          list[FunnelRow]]:
    """The site's funnel of the last *weeks* weeks: (by survey, by week newest first)."""
    by_survey: dict[str, FunnelRow] = {}
    by_week: dict[str, FunnelRow] = {}
    for slug, status, outbox_status, day, was_answered, count in _counts(session, [site_id],
                                                                        now - dt.timedelta(weeks=weeks)):
        where = stage(status, outbox_status)
        week = week_of(day)  # type: ignore[arg-type]
        by_survey.setdefault(slug, FunnelRow(slug)).add(where, bool(was_answered), count)
        by_week.setdefault(week, FunnelRow(week)).add(where, bool(was_answered), count)
    return sorted(by_survey.values(), key=lambda row: row.label), sorted(by_week.values(), key=lambda row: row.label,
                                                                        reverse=True)


def funnel_total(session: Session, site_ids: Sequence[int], since: dt.datetime,
                 until: dt.datetime | None = None) -> FunnelRow:
    """The funnel of *site_ids*' invitations mailed (or due) in [*since*, *until*) (None: from *since* on),
    every survey together."""
    total = FunnelRow("")
    for _slug, status, outbox_status, _day, was_answered, count in _counts(session, site_ids, since, until):
        total.add(stage(status, outbox_status), bool(was_answered), count)
    return total


def uses_invitations(session: Session, site_ids: Sequence[int]) -> bool:
    """Whether any of *site_ids* has an invitation rule (active or not) or has made an invitation."""
    ids = list(site_ids)
    return bool(session.scalar(select(exists().where(InvitationRule.site_id.in_(ids))))
                or session.scalar(select(exists().where(Invitation.site_id.in_(ids)))))


def reasons(session: Session, site_id: int) -> dict[str, int]:
    """How many invitations were held back for each reason (sampling, consent, fatigue, ...)."""
    query = select(Invitation.reason, func.count()).where(Invitation.site_id == site_id,
                                                          Invitation.reason.is_not(None)).group_by(Invitation.reason)
    counts: dict[str, int] = defaultdict(int)
    for reason, count in session.execute(query):
        counts[str(reason)] += count
    return dict(counts)
