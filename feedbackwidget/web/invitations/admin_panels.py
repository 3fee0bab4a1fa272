"""What other admin pages show of invitations: the dashboard's funnel card, the invitations of a
response's or a complaint's order and customer, and the answers to the survey mailed after a complaint
(kept apart from the site's feedback: :mod:`feedbackwidget.responses.purposes`).

Each page includes a partial (``admin/_invitations_card.html``, ``admin/_response_invitations.html``,
``admin/complaints/_invitations.html``, ``admin/_responses_purpose.html``) that calls one of the functions
below, which the admin's templates get as callables: nothing is read unless a page shows the partial.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import url_for
from sqlalchemy import exists, select

from ...complaints.models import Complaint
from ...core.models import Response, utcnow
from ...core.i18n import N_
from ...core.state import get_state
from ...invitations.funnel import FunnelRow, funnel_total, uses_invitations
from ...invitations.history import InvitationEntry, invitations_about
from ...responses.purposes import COMPLAINT_HANDLING, is_complaint_handling
from ...metrics.periods import day_start, utc_day_today
from ..admin import admin
from ..admin.access import current_access
from ..admin.scope import Scope

MANAGER = "manager"
#: Where an invitation stands (:data:`feedbackwidget.invitations.history.STANDINGS`), in words.
STANDING_LABELS: dict[str, str] = {
    "answered": N_("Answered"), "unsubscribed": N_("Unsubscribed"), "refused": N_("Address refused"),
    "failed": N_("Sending failed"), "expired": N_("Expired unanswered"), "sent": N_("Sent, not answered yet"),
    "queued": N_("Being sent"), "scheduled": N_("Scheduled"), "not_sent": N_("Not sent"),
    "cancelled": N_("Cancelled"),
}
#: The badge's tone of each standing (none: neutral).
STANDING_TONES: dict[str, str] = {"answered": "good", "unsubscribed": "bad", "refused": "bad", "failed": "bad",
                                  "expired": "warn"}
CHANNEL_LABELS: dict[str, str] = {"email": N_("E-mail"), "link": N_("Link"), "legacy": N_("Link")}


@dataclass(frozen=True)
class InvitationsCard:
    """The dashboard card: the period's funnel of the sites in scope that use invitations (``funnel`` None:
    none does), and where the full funnel (or, without invitations, their set-up) is (None: not for this user)."""

    funnel: FunnelRow | None
    url: str | None

    @property
    def response_rate_percent(self) -> float | None:
        rate = self.funnel.response_rate if self.funnel is not None else None
        return rate * 100 if rate is not None else None


def _managed(site_ids: list[int]) -> list[int]:
    access = current_access()
    return [site_id for site_id in site_ids if access is not None and access.has_role(site_id, MANAGER)]


def invitations_card(scope: Scope) -> InvitationsCard:
    """The funnel of *scope*'s sites and period, with the link to the invitations page."""
    session = get_state().session()
    managed = _managed(list(scope.site_ids))
    if scope.site_id is not None and managed:
        url: str | None = url_for("feedbackwidget.admin.invitations.site_invitations", site_id=scope.site_id)
    else:
        url = url_for("feedbackwidget.admin.invitations.index") if managed else None
    if not scope.site_ids or not uses_invitations(session, scope.site_ids):
        return InvitationsCard(None, url)
    # A period that runs to today also counts what is scheduled for later: that is what is waiting now.
    until = day_start(scope.period.end) if scope.period.end <= utc_day_today() else None
    return InvitationsCard(funnel_total(session, scope.site_ids, day_start(scope.period.start), until), url)


def response_invitations(response: Response, order_reference: str | None) -> list[InvitationEntry]:
    """The invitations of the response's order (the page's order reference: of the survey link it answered)
    and of its customer's address."""
    return invitations_about(get_state().session(), response.site_id, order_reference, response.customer_email,
                             utcnow())


def complaint_invitations(complaint: Complaint) -> list[InvitationEntry]:
    """The invitations of the complaint's order number and of its customer's address."""
    return invitations_about(get_state().session(), complaint.site_id, complaint.order_number,
                             complaint.customer_email, utcnow())


def has_complaint_handling_answers(scope: Scope) -> bool:
    """Whether the scope's sites have answers to the complaint-handling survey in its period (kept apart)."""
    window = [Response.site_id.in_(list(scope.site_ids)), is_complaint_handling(),
              Response.created_at >= day_start(scope.period.start), Response.created_at < day_start(scope.period.end)]
    return bool(scope.site_ids) and bool(get_state().session().scalar(select(exists().where(*window))))


@admin.context_processor
def _invitation_panels() -> dict[str, Any]:
    from .admin_views import REASON_LABELS  # that module imports this one

    return {"invitations_card": invitations_card, "response_invitations": response_invitations,
            "complaint_invitations": complaint_invitations,
            "has_complaint_handling_answers": has_complaint_handling_answers, "invitation_words": {
                "standings": STANDING_LABELS, "tones": STANDING_TONES, "channels": CHANNEL_LABELS,
                "reasons": REASON_LABELS}, "complaint_handling": COMPLAINT_HANDLING}
