"""The complaint queue: which complaints a staff member sees, in deadline order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, case, func, or_, select
from sqlalchemy.orm import Session

from .models import OPEN_STATES, STATES, Complaint
from .references import normalize_reference

STATUS_FILTERS: tuple[str, ...] = ("open", "all", *STATES)
# ?sort= values: due (open first, the soonest due first), newest, oldest (received), level (highest first).
SORTS: tuple[str, ...] = ("due", "newest", "oldest", "level")
PAGE_SIZE = 50


@dataclass(frozen=True)
class QueueFilter:
    site_ids: Sequence[int]
    status: str = "open"
    overdue_only: bool = False
    assignee_id: int | None = None
    search: str | None = None
    page: int = 1
    sort: str = "due"


def _search(text: str) -> ColumnElement[bool]:
    reference = normalize_reference(text)
    if reference is not None:
        return Complaint.reference == reference
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return or_(*(column.ilike(pattern, escape="\\") for column in
                 (Complaint.customer_name, Complaint.customer_email, Complaint.order_number)))


def _order(query: Select[Complaint], sort: str) -> Select[Complaint]:
    if sort == "newest":
        return query.order_by(Complaint.received_at.desc(), Complaint.id.desc())
    if sort == "oldest":
        return query.order_by(Complaint.received_at, Complaint.id)
    if sort == "level":
        return query.order_by(Complaint.escalation_level.desc(), Complaint.due_at, Complaint.id)
    is_closed = case((Complaint.status.in_(OPEN_STATES), 0), else_=1)
    return query.order_by(is_closed, case((is_closed == 0, Complaint.due_at)), Complaint.received_at.desc(),
                          Complaint.id.desc())


def queue_statement(filters: QueueFilter, now: dt.datetime) -> Select[Complaint]:
    """The matching complaints in *filters*' order; by default open ones first, the soonest due first,
    then the closed ones, newest first."""
    query = select(Complaint).where(Complaint.site_id.in_(list(filters.site_ids)))
    if filters.status == "open":
        query = query.where(Complaint.status.in_(OPEN_STATES))
    elif filters.status in STATES:
        query = query.where(Complaint.status == filters.status)
    if filters.overdue_only:
        query = query.where(Complaint.status.in_(OPEN_STATES), Complaint.due_at <= now)
    if filters.assignee_id is not None:
        query = query.where(Complaint.assignee_id == filters.assignee_id)
    if filters.search:
        query = query.where(_search(filters.search))
    return _order(query, filters.sort)


def find_complaints(session: Session, filters: QueueFilter, now: dt.datetime) -> tuple[list[Complaint], int]:
    """One page of the queue and the number of matching complaints."""
    statement = queue_statement(filters, now)
    total = session.scalar(select(func.count()).select_from(statement.order_by(None).subquery())) or 0
    page = max(1, filters.page)
    rows = session.scalars(statement.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE))
    return list(rows), int(total)
