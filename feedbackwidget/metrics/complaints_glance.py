"""Complaints at a glance for the dashboard: open, overdue, due within a week, the oldest open one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from ..complaints.models import OPEN_STATES, Complaint

DUE_SOON_DAYS = 7


@dataclass(frozen=True)
class ComplaintsGlance:
    """Open complaints of some sites: how many, how many overdue, how many due within
    :data:`DUE_SOON_DAYS` (not overdue yet), and the one received first (None when none is open)."""

    open: int
    overdue: int
    due_soon: int
    oldest: Complaint | None


def complaints_glance(db: Session, site_ids: Sequence[int], now: dt.datetime) -> ComplaintsGlance:
    """The open complaints of *site_ids* as they stand at *now*."""
    is_open = Complaint.site_id.in_(list(site_ids)) & Complaint.status.in_(OPEN_STATES)
    soon = now + dt.timedelta(days=DUE_SOON_DAYS)

    def count(*conditions: ColumnElement[bool]) -> int:
        return int(db.scalar(select(func.count()).select_from(Complaint).where(is_open, *conditions)) or 0)

    oldest = db.scalars(select(Complaint).where(is_open).order_by(Complaint.received_at, Complaint.id).limit(1)).first()
    return ComplaintsGlance(count(), count(Complaint.due_at <= now),
                            count(Complaint.due_at > now, Complaint.due_at <= soon), oldest)
