"""Why a response was asked for: the site's own feedback, or the survey on how a complaint was handled.

The survey mailed after a complaint is closed (ISO 10002, :mod:`feedbackwidget.complaints.satisfaction`)
asks the site's CSAT question, so its answers are stored as responses of the site's CSAT survey.
They measure the complaint handling, not the shop: a customer unhappy with how their complaint was
handled must not lower the site's CSAT.  Each such response is marked when it is stored
(``Response.purpose`` is :data:`COMPLAINT_HANDLING`; the site's own feedback has none), from the
survey link it answered (whose order reference starts with :data:`COMPLAINT_LINK_PREFIX`).  The mark
stays when the link is gone (erasure and retention delete links).

This is the one definition: the dashboard's figures and trend, the low-score words and the comment feed,
the themes and their drivers, and the responses list (by default) keep :func:`is_site_feedback`
responses; the complaint analysis counts :func:`is_complaint_handling` ones.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement

from ..core.models import Response

#: ``Response.purpose`` of an answer to the complaint-handling survey.
COMPLAINT_HANDLING = "complaint_handling"
#: What the order reference of a complaint-handling survey link starts with (``complaint:<reference>``).
COMPLAINT_LINK_PREFIX = "complaint:"
PURPOSES: tuple[str, ...] = (COMPLAINT_HANDLING,)


def purpose_of_link(order_reference: str | None) -> str | None:
    """The ``purpose`` of a response given through a survey link with *order_reference* (None: feedback)."""
    return COMPLAINT_HANDLING if (order_reference or "").startswith(COMPLAINT_LINK_PREFIX) else None


def is_site_feedback() -> ColumnElement[bool]:
    """A condition on :class:`~feedbackwidget.core.models.Response`: the site's own feedback."""
    return Response.purpose.is_(None)


def is_complaint_handling() -> ColumnElement[bool]:
    """A condition on :class:`~feedbackwidget.core.models.Response`: an answer about a complaint's handling."""
    return Response.purpose == COMPLAINT_HANDLING
