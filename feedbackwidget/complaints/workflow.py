"""The complaint workflow: states, assignment, escalation, verdict, compensation, messages.

States: ``received -> in_progress -> resolved | rejected``, and a closed complaint
may be reopened (back to ``in_progress``, counted).  Each function changes one
thing, writes its audit entries and the ``complaint.updated`` messages of the
delivery hooks; the caller commits.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..delivery.outbox import enqueue
from ..core.i18n import N_, TranslatableError
from ..core.models import AdminUser, SiteMembership
from .audit import record
from .context import Context
from .labels import ROOT_CAUSES
from .models import (
    CLOSED_STATES,
    COMPENSATION_TYPES,
    ESCALATION_LEVELS,
    VERDICTS,
    VISIBILITIES,
    Complaint,
    ComplaintMessage,
)
from .notifications import assignment_mail, event_drafts, public_reply
from .satisfaction import send_survey

TRANSITIONS: dict[str, dict[str, str]] = {
    # action: {from state: to state}
    "start": {"received": "in_progress"},
    "resolve": {"received": "resolved", "in_progress": "resolved"},
    "reject": {"received": "rejected", "in_progress": "rejected"},
    "reopen": {"resolved": "in_progress", "rejected": "in_progress"},
}
ASSIGNABLE_ROLES = ("owner", "manager")
MESSAGE_MAX_LENGTH = 10_000


class WorkflowError(TranslatableError):
    """A change that is not possible now; the message (an English msgid) says what would be."""


def allowed_actions(complaint: Complaint) -> list[str]:
    """The state changes possible from *complaint*'s current state."""
    return [action for action, moves in TRANSITIONS.items() if complaint.status in moves]


def next_action(complaint: Complaint) -> str | None:
    """The one step that matters now: ``start`` a new complaint, ``reply`` to the customer who has
    heard nothing yet, ``resolve`` one answered; None once closed."""
    if complaint.status == "received":
        return "start"
    if complaint.status == "in_progress":
        return "reply" if complaint.first_response_at is None else "resolve"
    return None


def _changed(ctx: Context, complaint: Complaint) -> None:
    complaint.updated_at = ctx.now
    ctx.session.flush()
    enqueue(ctx.session.connection(), event_drafts(ctx, "complaint.updated", complaint))


def _set(ctx: Context, complaint: Complaint, field: str, value: Any, action: str = "updated") -> bool:
    old = getattr(complaint, field)
    if old == value:
        return False
    setattr(complaint, field, value)
    record(ctx, complaint, action, field, old, value)
    return True


def _first_response(ctx: Context, complaint: Complaint) -> None:
    if complaint.first_response_at is None:
        _set(ctx, complaint, "first_response_at", ctx.now)


def change_status(ctx: Context, complaint: Complaint, action: str) -> None:
    """Apply workflow *action* (``start``, ``resolve``, ``reject``, ``reopen``).

    Rejecting marks the complaint unfounded unless a verdict was given.  A change of state
    is not a response to the customer: only a public reply is (see :func:`add_message`).

    :raises WorkflowError: when *action* is not possible from the current state.
    """
    target = TRANSITIONS.get(action, {}).get(complaint.status)
    if target is None:
        possible = ", ".join(allowed_actions(complaint)) or "none"
        raise WorkflowError(N_("Cannot %(action)s a complaint that is %(status)s: possible now: %(possible)s."),
                            action=action, status=complaint.status, possible=possible)
    _set(ctx, complaint, "status", target, action)
    if target in CLOSED_STATES:
        _set(ctx, complaint, "resolved_at", ctx.now)
        ctx.session.flush()
        send_survey(ctx.session, ctx.site, complaint, ctx.settings.public_base)
    if action == "reject" and complaint.verdict is None:
        _set(ctx, complaint, "verdict", "unfounded")
    if action == "reopen":
        _set(ctx, complaint, "resolved_at", None)
        _set(ctx, complaint, "reopen_count", complaint.reopen_count + 1)
    _changed(ctx, complaint)


def assignable_to(session: Session, site_id: int) -> list[AdminUser]:
    """Staff who may be assigned complaints of site *site_id*: its owners and managers, and superusers."""
    members = select(SiteMembership.user_id).where(
        SiteMembership.site_id == site_id, SiteMembership.role.in_(ASSIGNABLE_ROLES)
    )
    return list(session.scalars(
        select(AdminUser).where(or_(AdminUser.id.in_(members), AdminUser.is_superuser.is_(True)))
        .order_by(AdminUser.email)
    ))


def assignable_users(ctx: Context) -> list[AdminUser]:
    """Staff who may be assigned complaints of the context's site (see :func:`assignable_to`)."""
    return assignable_to(ctx.session, ctx.site.id)


def assign(ctx: Context, complaint: Complaint, user_id: int | None) -> None:
    """Give *complaint* to staff member *user_id* (None: unassign); they are e-mailed unless they took it.

    :raises WorkflowError: when that person may not handle the site's complaints.
    """
    users = {user.id: user for user in assignable_users(ctx)}
    if user_id is not None and user_id not in users:
        raise WorkflowError(N_("This person is not an owner or manager of the site: add them to the site first."))
    if not _set(ctx, complaint, "assignee_id", user_id, "assigned"):
        return
    if user_id is not None and user_id != ctx.actor.id:
        user = users[user_id]
        enqueue(ctx.session.connection(), [assignment_mail(ctx, complaint, user.email, user.locale)])
    _changed(ctx, complaint)


def escalate(ctx: Context, complaint: Complaint, level: int, reason: str) -> None:
    """Move *complaint* to escalation *level* (1 front line, 2 specialist, 3 management).

    :raises WorkflowError: for an unknown level or a missing reason.
    """
    if level not in ESCALATION_LEVELS:
        raise WorkflowError(N_("The escalation level must be 1 (front line), 2 (specialist) or 3 (management)."))
    if not reason.strip():
        raise WorkflowError(N_("Give a reason for the escalation, so the next level knows why."))
    old_level = complaint.escalation_level
    complaint.escalation_level = level
    complaint.escalation_reason = reason.strip()
    record(ctx, complaint, "escalated", "escalation_level", old_level, level)
    record(ctx, complaint, "escalated", "escalation_reason", None, reason.strip())
    _changed(ctx, complaint)


def set_verdict(ctx: Context, complaint: Complaint, verdict: str | None) -> None:
    """Judge *complaint* ``justified`` or ``unfounded`` (None: undecided).

    :raises WorkflowError: for another value.
    """
    if verdict is not None and verdict not in VERDICTS:
        raise WorkflowError(N_("The verdict must be justified or unfounded."))
    if _set(ctx, complaint, "verdict", verdict):
        _changed(ctx, complaint)


def set_root_cause(ctx: Context, complaint: Complaint, root_cause: str | None) -> None:
    """Record the root-cause category of *complaint*.

    :raises WorkflowError: for a category that is not in the list.
    """
    if root_cause is not None and root_cause not in ROOT_CAUSES:
        raise WorkflowError(N_("Unknown root cause %(value)s: use one of %(choices)s."), value=repr(root_cause),
                            choices=", ".join(ROOT_CAUSES))
    if _set(ctx, complaint, "root_cause", root_cause):
        _changed(ctx, complaint)


def parse_amount(amount: str | Decimal | None) -> Decimal | None:
    """A compensation amount: at most 2 decimals, not negative, below 10^10.

    :raises WorkflowError: when it is not such a number.
    """
    if amount is None or amount == "":
        return None
    try:
        value = Decimal(str(amount).strip().replace(",", "."))
    except InvalidOperation as err:
        raise WorkflowError(N_("%(value)s is not an amount: write it like 4990 or 12.50."), value=repr(amount)) from err
    if not value.is_finite() or value < 0 or value >= Decimal(10) ** 10 or value != value.quantize(Decimal("0.01")):
        raise WorkflowError(N_("The amount must be 0 or more, with at most 2 decimals."))
    return value.quantize(Decimal("0.01"))


def set_compensation(
    ctx: Context, complaint: Complaint, kind: str | None, amount: str | Decimal | None, currency: str | None
) -> None:
    """Record the compensation of *complaint*: ``refund``, ``voucher``, ``replacement`` or ``none``.

    :raises WorkflowError: for an unknown kind, a bad amount, or an amount without a currency.
    """
    if kind is not None and kind not in COMPENSATION_TYPES:
        raise WorkflowError(N_("Unknown compensation %(value)s: use one of %(choices)s."), value=repr(kind),
                            choices=", ".join(COMPENSATION_TYPES))
    value = None if kind in (None, "none") else parse_amount(amount)
    code = (currency or "").strip().upper() or None
    if value is not None and (code is None or len(code) != 3 or not code.isalpha()):
        raise WorkflowError(N_("Give the currency of the amount as a 3-letter code such as HUF or EUR."))
    changed = [
        _set(ctx, complaint, "compensation_type", kind, "compensated"),
        _set(ctx, complaint, "compensation_amount", value, "compensated"),
        _set(ctx, complaint, "compensation_currency", code if value is not None else None, "compensated"),
    ]
    if any(changed):
        _changed(ctx, complaint)


def add_message(ctx: Context, complaint: Complaint, visibility: str, body: str) -> ComplaintMessage:
    """Add an ``internal`` note or a ``public`` reply; a public reply is e-mailed to the customer
    and counts as the first response.

    :raises WorkflowError: for an empty or over-long text.
    """
    text = body.replace("\r\n", "\n").strip()
    if visibility not in VISIBILITIES:
        raise WorkflowError(N_("A message is either internal (staff only) or public (sent to the customer)."))
    if not text or len(text) > MESSAGE_MAX_LENGTH:
        raise WorkflowError(N_("Write a message of 1 to %(limit)s characters."), limit=MESSAGE_MAX_LENGTH)
    message = ComplaintMessage(
        complaint_id=complaint.id, author_id=ctx.actor.id, visibility=visibility, body=text, created_at=ctx.now
    )
    ctx.session.add(message)
    ctx.session.flush()
    record(ctx, complaint, "replied" if visibility == "public" else "noted", "message", None, message.id)
    if visibility == "public":
        _first_response(ctx, complaint)
        mail = public_reply(ctx, complaint, message)
        enqueue(ctx.session.connection(), [mail] if mail else [])
    _changed(ctx, complaint)
    return message
