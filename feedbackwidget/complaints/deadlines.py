"""The legal deadline of a complaint: when it is due, when to remind, when it is overdue.

Every function takes the current time as ``now`` so that tests (and the
reminder command) control the clock.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Protocol

from ..core.i18n import translate, translate_plural
from .models import OPEN_STATES


class HasDeadline(Protocol):
    status: str
    due_at: dt.datetime


def due_at(received_at: dt.datetime, deadline_days: int) -> dt.datetime:
    """When a complaint received at *received_at* must be answered."""
    return received_at + dt.timedelta(days=deadline_days)


def is_overdue(complaint: HasDeadline, now: dt.datetime) -> bool:
    """Open and past its due date."""
    return complaint.status in OPEN_STATES and now >= complaint.due_at


def needs_reminder(complaint: HasDeadline, now: dt.datetime, reminder_days: int) -> bool:
    """Open and due within *reminder_days*, but not overdue yet."""
    remind_from = complaint.due_at - dt.timedelta(days=reminder_days)
    return complaint.status in OPEN_STATES and remind_from <= now < complaint.due_at


def days_left(complaint: HasDeadline, now: dt.datetime) -> int:
    """Whole days until the due date (negative once overdue)."""
    return math.floor((complaint.due_at - now) / dt.timedelta(days=1))


def countdown(complaint: HasDeadline, now: dt.datetime, locale: str) -> str:
    """The deadline of an open complaint as a person reads it in *locale*: "12 days left",
    "Less than a day left", "3 days overdue" ("" once closed)."""
    if complaint.status not in OPEN_STATES:
        return ""
    left = days_left(complaint, now)
    if left > 0:
        return translate_plural(locale, "%(num)s day left", "%(num)s days left", left) % {"num": left}
    if not is_overdue(complaint, now):
        return translate(locale, "Less than a day left")
    late = math.floor((now - complaint.due_at) / dt.timedelta(days=1))
    if late == 0:
        return translate(locale, "Overdue since today")
    return translate_plural(locale, "%(num)s day overdue", "%(num)s days overdue", late) % {"num": late}
